package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.credentials.KeyDescriptions;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.policy.ValidityWindow;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One trusted public key on the global page: a name, the key (PEM or certificate), an optional validity window and a
 * revoked flag ({@link TrustedSigner}). Rotation is done with validity windows: the old key keeps verifying what it
 * signed until its {@code notAfter}, the new one from its {@code notBefore}.
 */
public class TrustedPublicKey extends TrustedSigner implements Describable<TrustedPublicKey> {
    private final String publicKey;

    @DataBoundConstructor
    public TrustedPublicKey(String name, String publicKey) {
        super(name);
        this.publicKey = Util.fixEmptyAndTrim(publicKey);
    }

    public String getPublicKey() {
        return publicKey;
    }

    /** The key id (hex SHA-256 of the DER public key), computed, for display; empty when the key cannot be read. */
    @NonNull
    public String getKeyId() {
        try {
            return KeyId.of(PublicKeys.parse(publicKey == null ? "" : publicKey))
                    .hex();
        } catch (KeyException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The engine's view of this key.
     *
     * @throws IllegalArgumentException when a window bound is not a date or instant, or the window is empty
     */
    @NonNull
    public TrustedKey toEngineKey() throws KeyException {
        if (getName() == null || publicKey == null) {
            throw new KeyException("a trusted key needs a name and a public key");
        }
        ValidityWindow window = window();
        return TrustedKey.builder(getName(), PublicKeys.parse(publicKey))
                .notBefore(window.notBefore().orElse(null))
                .notAfter(window.notAfter().orElse(null))
                .revoked(window.revoked())
                .build();
    }

    /** Whether {@code nameOrKeyId} names this key: its name, its full key id, or a prefix of 12+ hex digits of it. */
    public boolean isNamed(String nameOrKeyId) {
        if (nameOrKeyId.equals(getName())) {
            return true;
        }
        String keyId = getKeyId();
        return !keyId.isEmpty() && nameOrKeyId.length() >= 12 && keyId.startsWith(nameOrKeyId);
    }

    /** The form of one trusted key. */
    @Extension
    @Symbol("trustedKey")
    public static final class DescriptorImpl extends SignerDescriptor<TrustedPublicKey> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TrustedPublicKey_DisplayName();
        }

        /** Shows the key id and algorithm of the pasted key, or why it cannot be read. */
        @POST
        public FormValidation doCheckPublicKey(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return KeyDescriptions.describePublicKey(value);
        }
    }
}
