package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.auth.CredentialsException;
import io.jenkins.plugins.imagetrust.engine.registry.auth.DockerConfig;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentialsProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every registry-facing command shares: registry access and how much to say. */
final class CommonOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP to this registry (repeatable). Loopback registries (localhost, 127.0.0.0/8, ::1) may always use it, as with docker.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--registry-config", paramLabel = "DIR",
            description = "Folder holding the docker config.json with registry credentials (auths, credsStore, credHelpers). Default: $DOCKER_CONFIG or ~/.docker.")
    Path registryConfig;

    @Option(names = "--username", paramLabel = "USER", description = "Registry user name; the password is read from standard input (--password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from standard input (first line).")
    boolean passwordStdin;

    @Option(names = {"-q", "--quiet"}, description = "Print only results and warnings.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also print each registry request and retry.")
    boolean verbose;

    ProgressListener listener(CliContext context) {
        return new ProgressRenderer(context.err(), quiet, verbose);
    }

    RegistryClient registry(CliContext context) throws CliUsageException, CredentialsException, IOException {
        return RegistryClient.builder()
                .credentials(credentials(context))
                .insecureRegistries(new LinkedHashSet<>(insecureRegistries))
                .listener(listener(context))
                .build();
    }

    private RegistryCredentialsProvider credentials(CliContext context) throws CliUsageException, CredentialsException, IOException {
        if (passwordStdin != (username != null)) {
            throw new CliUsageException("--username and --password-stdin go together");
        }
        if (username != null) {
            char[] password = Passwords.firstLine(context.stdin());
            return RegistryCredentials.basic(username, password);
        }
        return DockerConfig.load(registryConfig != null ? registryConfig : DockerConfig.defaultDirectory(context.environment()));
    }
}
