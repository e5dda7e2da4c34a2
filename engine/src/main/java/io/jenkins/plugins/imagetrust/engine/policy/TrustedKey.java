package io.jenkins.plugins.imagetrust.engine.policy;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key the policy trusts, with its {@link ValidityWindow} (notBefore inclusive, notAfter exclusive, judged at
 * verification time) and revocation flag. A key outside its window, or revoked, counts for nothing.
 */
public final class TrustedKey {
    private final String name;
    private final PublicKey publicKey;
    private final KeyId id;
    private final SignatureScheme scheme;
    private final ValidityWindow window;

    private TrustedKey(Builder b) {
        this.name = b.name;
        this.publicKey = b.publicKey;
        this.id = KeyId.of(b.publicKey);
        this.scheme = b.scheme != null ? b.scheme : SignatureScheme.defaultFor(b.publicKey);
        if (!scheme.fits(publicKey)) {
            throw new IllegalArgumentException("key '" + name + "': scheme " + scheme + " does not fit a "
                    + publicKey.getAlgorithm() + " key");
        }
        try {
            this.window = ValidityWindow.of(b.notBefore, b.notAfter, b.revoked);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + name + "': " + e.getMessage(), e);
        }
    }

    public static Builder builder(String name, PublicKey publicKey) {
        return new Builder(name, publicKey);
    }

    public String name() {
        return name;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public KeyId id() {
        return id;
    }

    public SignatureScheme scheme() {
        return scheme;
    }

    public ValidityWindow window() {
        return window;
    }

    public Optional<Instant> notBefore() {
        return window.notBefore();
    }

    public Optional<Instant> notAfter() {
        return window.notAfter();
    }

    public boolean revoked() {
        return window.revoked();
    }

    /** Why this key cannot count at {@code now}, or empty if it can. Revocation wins over the window. */
    public Optional<RejectionReason> unusableAt(Instant now) {
        return window.problemAt(now).map(problem -> switch (problem) {
            case REVOKED -> RejectionReason.KEY_REVOKED;
            case NOT_YET_VALID -> RejectionReason.KEY_NOT_YET_VALID;
            case EXPIRED -> RejectionReason.KEY_EXPIRED;
        });
    }

    /** {@code name (keyid-prefix)} for log lines. */
    public String label() {
        return name + " (" + id.shortForm() + ")";
    }

    @Override
    public String toString() {
        return "TrustedKey[" + label() + (revoked() ? ", revoked" : "") + "]";
    }

    /** Builds a {@link TrustedKey}; only name and key are required. */
    public static final class Builder {
        private final String name;
        private final PublicKey publicKey;
        private SignatureScheme scheme;
        private Instant notBefore;
        private Instant notAfter;
        private boolean revoked;

        private Builder(String name, PublicKey publicKey) {
            this.name = Objects.requireNonNull(name, "name");
            this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        }

        /** Overrides the scheme chosen from the key type (e.g. RSA-PSS instead of PKCS#1 v1.5). */
        public Builder scheme(SignatureScheme value) {
            this.scheme = value;
            return this;
        }

        public Builder notBefore(Instant value) {
            this.notBefore = value;
            return this;
        }

        public Builder notAfter(Instant value) {
            this.notAfter = value;
            return this;
        }

        public Builder revoked(boolean value) {
            this.revoked = value;
            return this;
        }

        public TrustedKey build() {
            return new TrustedKey(this);
        }
    }
}
