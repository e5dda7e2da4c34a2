package io.jenkins.plugins.imagetrust.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.security.AccessControlled;
import hudson.util.FormValidation;
import hudson.util.Secret;
import java.io.Serial;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An image signing key held by Jenkins: a private key (PKCS#8, SEC1, PKCS#1 PEM, or a cosign encrypted key) and the
 * passphrase that opens it, both kept as {@link Secret}. The controller signs with it; the key is never written to a
 * workspace or sent to an agent.
 */
public final class ImageSigningKeyCredentials extends BaseStandardCredentials {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NonNull Secret privateKey;
    private final @CheckForNull Secret passphrase;

    @DataBoundConstructor
    public ImageSigningKeyCredentials(
            @CheckForNull CredentialsScope scope,
            @CheckForNull String id,
            @CheckForNull String description,
            @NonNull Secret privateKey,
            @CheckForNull Secret passphrase) {
        super(scope, id, description);
        this.privateKey = privateKey;
        this.passphrase = passphrase;
    }

    /** The private key text (PEM). */
    @NonNull
    public Secret getPrivateKey() {
        return privateKey;
    }

    /** The passphrase, or {@code null} for an unencrypted key. */
    @CheckForNull
    public Secret getPassphrase() {
        return passphrase;
    }

    /** The credential type "Image signing key". */
    @Extension
    @Symbol("imageSigningKey")
    public static final class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ImageSigningKeyCredentials_DisplayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-key";
        }

        /**
         * The "Check key" button: opens the key with the passphrase and shows its key id and algorithm. Opening a cosign
         * key runs scrypt (32 MiB, a noticeable CPU cost), so only someone allowed to create or update credentials here
         * may ask; everyone else gets no answer.
         */
        @POST
        public FormValidation doValidateKey(
                @AncestorInPath Item item, @QueryParameter String privateKey, @QueryParameter String passphrase) {
            AccessControlled context = item == null ? Jenkins.get() : item;
            if (!context.hasAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE)) {
                return FormValidation.ok();
            }
            // Secret.fromString accepts both what the user typed and the encrypted form of a stored value.
            return KeyDescriptions.describePrivateKey(
                    Secret.toString(Secret.fromString(privateKey)), Secret.toString(Secret.fromString(passphrase)));
        }
    }
}
