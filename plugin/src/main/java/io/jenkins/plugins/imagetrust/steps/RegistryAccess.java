package io.jenkins.plugins.imagetrust.steps;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.credentials.Credentials;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import java.util.Arrays;

/**
 * A registry client for one step call, with the registry password (when a credential is given) held in an array that
 * {@link #close()} clears.
 */
final class RegistryAccess implements AutoCloseable {
    private final RegistryClient client;
    private final char[] password;

    private RegistryAccess(RegistryClient client, char[] password) {
        this.client = client;
        this.password = password;
    }

    /**
     * A client honouring the global insecure registries, logged in with the username/password credential {@code
     * registryCredentialsId} when given, anonymous otherwise.
     */
    static RegistryAccess open(
            @NonNull Run<?, ?> run,
            @CheckForNull String registryCredentialsId,
            @NonNull ImageTrustConfiguration config,
            @NonNull ProgressListener listener)
            throws AbortException {
        RegistryClient.Builder builder = RegistryClient.builder()
                .insecureRegistries(config.insecureRegistrySet())
                .listener(listener);
        char[] password = new char[0];
        if (registryCredentialsId != null) {
            StandardUsernamePasswordCredentials login = Credentials.require(
                    run, registryCredentialsId, StandardUsernamePasswordCredentials.class, "the registry login");
            password = Secret.toString(login.getPassword()).toCharArray();
            builder.credentials(RegistryCredentials.basic(login.getUsername(), password));
        }
        return new RegistryAccess(builder.build(), password);
    }

    RegistryClient client() {
        return client;
    }

    @Override
    public void close() {
        Arrays.fill(password, '\0');
    }
}
