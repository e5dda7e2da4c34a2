package io.jenkins.plugins.imagetrust.engine.policy;

import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.KeylessVerifier;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A keyless signer the policy trusts: a certificate identity (SAN and OIDC issuer, exact or by regular expression, plus
 * optional Fulcio extension rules) vouched for by a pinned {@link TrustedRoot}. It counts toward the threshold as one
 * vote, like one {@link TrustedKey}, with the same {@link ValidityWindow} rule (notBefore inclusive, notAfter exclusive,
 * judged at verification time by the injected clock; revocation first).
 */
public final class TrustedIdentity {
    private final String name;
    private final SignerPolicy.CertificateIdentity identity;
    private final String trustedRootName;
    private final KeylessVerifier verifier;
    private final ValidityWindow window;

    private TrustedIdentity(Builder b) {
        this.name = b.name;
        this.identity = b.identity;
        this.trustedRootName = b.trustedRootName;
        this.verifier = new KeylessVerifier(b.trustedRoot);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a trusted identity needs a name");
        }
        try {
            this.window = ValidityWindow.of(b.notBefore, b.notAfter, b.revoked);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("identity '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param name how the policy and reports name it
     * @param identity the certificate rules
     * @param trustedRootName how the policy names the root (for reports)
     * @param trustedRoot the root its certificates, logs and timestamps must chain to
     */
    public static Builder builder(String name, SignerPolicy.CertificateIdentity identity, String trustedRootName, TrustedRoot trustedRoot) {
        return new Builder(name, identity, trustedRootName, trustedRoot);
    }

    public String name() {
        return name;
    }

    public SignerPolicy.CertificateIdentity identity() {
        return identity;
    }

    public String trustedRootName() {
        return trustedRootName;
    }

    /** The verifier of its trusted root. */
    public KeylessVerifier verifier() {
        return verifier;
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

    /** Why this identity cannot count at {@code now}, or empty if it can. Revocation wins over the window. */
    public Optional<RejectionReason> unusableAt(Instant now) {
        return window.problemAt(now).map(problem -> switch (problem) {
            case REVOKED -> RejectionReason.IDENTITY_REVOKED;
            case NOT_YET_VALID -> RejectionReason.IDENTITY_NOT_YET_VALID;
            case EXPIRED -> RejectionReason.IDENTITY_EXPIRED;
        });
    }

    /** {@code name (subject rule, issuer rule)} for log lines. */
    public String label() {
        return name + " (subject " + identity.subject() + ", issuer " + identity.issuer() + ")";
    }

    @Override
    public String toString() {
        return "TrustedIdentity[" + label() + ", root " + trustedRootName + (revoked() ? ", revoked" : "") + "]";
    }

    /** Builds a {@link TrustedIdentity}; name, identity and root are required. */
    public static final class Builder {
        private final String name;
        private final SignerPolicy.CertificateIdentity identity;
        private final String trustedRootName;
        private final TrustedRoot trustedRoot;
        private Instant notBefore;
        private Instant notAfter;
        private boolean revoked;

        private Builder(String name, SignerPolicy.CertificateIdentity identity, String trustedRootName, TrustedRoot trustedRoot) {
            this.name = Objects.requireNonNull(name, "name");
            this.identity = Objects.requireNonNull(identity, "identity");
            this.trustedRootName = Objects.requireNonNull(trustedRootName, "trustedRootName");
            this.trustedRoot = Objects.requireNonNull(trustedRoot, "trustedRoot");
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

        public TrustedIdentity build() {
            return new TrustedIdentity(this);
        }
    }
}
