package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.credentials.KeyDescriptions;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One trusted public key on the global page: a name, the key (PEM or certificate), an optional validity window and a
 * revoked flag. Rotation is done with validity windows: the old key keeps verifying what it signed until its {@code
 * notAfter}, the new one from its {@code notBefore}.
 */
public class TrustedPublicKey implements Describable<TrustedPublicKey> {
    private final String name;
    private final String publicKey;
    private String notBefore;
    private String notAfter;
    private boolean revoked;

    @DataBoundConstructor
    public TrustedPublicKey(String name, String publicKey) {
        this.name = Util.fixEmptyAndTrim(name);
        this.publicKey = Util.fixEmptyAndTrim(publicKey);
    }

    public String getName() {
        return name;
    }

    public String getPublicKey() {
        return publicKey;
    }

    /**
     * From when this key is trusted (a date, meaning its start in UTC, or an RFC 3339 instant); may be empty. Judged when
     * an image is verified: before it, no signature by this key counts.
     */
    @CheckForNull
    public String getNotBefore() {
        return notBefore;
    }

    @DataBoundSetter
    public void setNotBefore(String notBefore) {
        this.notBefore = Util.fixEmptyAndTrim(notBefore);
    }

    /** The last instant this key is trusted; may be empty. */
    @CheckForNull
    public String getNotAfter() {
        return notAfter;
    }

    @DataBoundSetter
    public void setNotAfter(String notAfter) {
        this.notAfter = Util.fixEmptyAndTrim(notAfter);
    }

    public boolean isRevoked() {
        return revoked;
    }

    @DataBoundSetter
    public void setRevoked(boolean revoked) {
        this.revoked = revoked;
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

    /** The engine's view of this key. */
    @NonNull
    public TrustedKey toEngineKey() throws KeyException {
        if (name == null || publicKey == null) {
            throw new KeyException("a trusted key needs a name and a public key");
        }
        TrustedKey.Builder key =
                TrustedKey.builder(name, PublicKeys.parse(publicKey)).revoked(revoked);
        if (notBefore != null) {
            key.notBefore(TrustedKey.parseTime(notBefore));
        }
        if (notAfter != null) {
            key.notAfter(TrustedKey.parseTime(notAfter));
        }
        return key.build();
    }

    /** Whether {@code nameOrKeyId} names this key: its name, its full key id, or a prefix of 12+ hex digits of it. */
    public boolean isNamed(String nameOrKeyId) {
        if (nameOrKeyId.equals(name)) {
            return true;
        }
        String keyId = getKeyId();
        return !keyId.isEmpty() && nameOrKeyId.length() >= 12 && keyId.startsWith(nameOrKeyId);
    }

    /** The form of one trusted key. */
    @Extension
    @Symbol("trustedKey")
    public static final class DescriptorImpl extends Descriptor<TrustedPublicKey> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TrustedPublicKey_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormValidation.validateRequired(value);
        }

        /** Shows the key id and algorithm of the pasted key, or why it cannot be read. */
        @POST
        public FormValidation doCheckPublicKey(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return KeyDescriptions.describePublicKey(value);
        }

        @POST
        public FormValidation doCheckNotBefore(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return checkInstant(value);
        }

        @POST
        public FormValidation doCheckNotAfter(@QueryParameter String value, @QueryParameter String notBefore) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            FormValidation own = checkInstant(value);
            if (own.kind != FormValidation.Kind.OK
                    || Util.fixEmptyAndTrim(value) == null
                    || Util.fixEmptyAndTrim(notBefore) == null) {
                return own;
            }
            try {
                if (!TrustedKey.parseTime(value.trim()).isAfter(TrustedKey.parseTime(notBefore.trim()))) {
                    return FormValidation.error(Messages.TrustedPublicKey_EmptyWindow());
                }
            } catch (IllegalArgumentException e) {
                return FormValidation.ok(); // notBefore's own check reports it
            }
            return FormValidation.ok();
        }

        /** A date or an RFC 3339 instant, as {@link TrustedKey#parseTime} reads it; empty is fine. */
        static FormValidation checkInstant(String value) {
            String text = Util.fixEmptyAndTrim(value);
            if (text == null) {
                return FormValidation.ok();
            }
            try {
                TrustedKey.parseTime(text);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
