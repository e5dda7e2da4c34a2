package io.jenkins.plugins.imagetrust.engine.policy;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key the policy trusts, with its validity window and revocation flag.
 *
 * <p>The window is judged at verification time, by the injected clock: a signature carries no time that is
 * more trustworthy than its own key (a timestamp inside the payload is signed by that same key, so a stolen
 * or retired key could backdate it). A key outside its window, or revoked, counts for nothing.
 */
public final class TrustedKey {
    private final String name;
    private final PublicKey publicKey;
    private final KeyId id;
    private final SignatureScheme scheme;
    private final Instant notBefore;
    private final Instant notAfter;
    private final boolean revoked;

    private TrustedKey(Builder b) {
        this.name = b.name;
        this.publicKey = b.publicKey;
        this.id = KeyId.of(b.publicKey);
        this.scheme = b.scheme != null ? b.scheme : SignatureScheme.defaultFor(b.publicKey);
        this.notBefore = b.notBefore;
        this.notAfter = b.notAfter;
        this.revoked = b.revoked;
        if (!scheme.fits(publicKey)) {
            throw new IllegalArgumentException("key '" + name + "': scheme " + scheme + " does not fit a "
                    + publicKey.getAlgorithm() + " key");
        }
        if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("key '" + name + "': notBefore " + notBefore + " is not before notAfter " + notAfter);
        }
    }

    public static Builder builder(String name, PublicKey publicKey) {
        return new Builder(name, publicKey);
    }

    /**
     * A validity bound as policy files and the Jenkins page write it: an RFC 3339 instant
     * ({@code 2026-01-31T12:00:00Z}, any offset) or a date ({@code 2026-01-31}), meaning its first instant in UTC.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Instant parseTime(String text) {
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a date (2026-01-31) nor an RFC 3339 instant (2026-01-31T12:00:00Z)");
        }
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

    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    public boolean revoked() {
        return revoked;
    }

    /** Why this key cannot count at {@code now}, or empty if it can. Revocation wins over the window. */
    public Optional<RejectionReason> unusableAt(Instant now) {
        if (revoked) {
            return Optional.of(RejectionReason.KEY_REVOKED);
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            return Optional.of(RejectionReason.KEY_NOT_YET_VALID);
        }
        if (notAfter != null && !now.isBefore(notAfter)) {
            return Optional.of(RejectionReason.KEY_EXPIRED);
        }
        return Optional.empty();
    }

    /** {@code name (keyid-prefix)} for log lines. */
    public String label() {
        return name + " (" + id.shortForm() + ")";
    }

    @Override
    public String toString() {
        return "TrustedKey[" + label() + (revoked ? ", revoked" : "") + "]";
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
