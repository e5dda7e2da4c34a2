package io.jenkins.plugins.imagetrust.engine.sigstore;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a verified bundle proves: the artifact digest it signs, who signed it (a certificate identity or a managed
 * key), and the signing times with how each was proven. Neutral: no image or policy types.
 */
public record VerifiedBundle(Digest artifact, Signer signer, List<SigningTime> signingTimes) {
    public VerifiedBundle {
        Objects.requireNonNull(artifact);
        Objects.requireNonNull(signer);
        signingTimes = List.copyOf(signingTimes);
    }

    /** The signer; exactly one kind. */
    public sealed interface Signer permits CertificateSigner, KeySigner {
    }

    /** A keyless signer: the certificate's identity, as checked against the policy. */
    public record CertificateSigner(FulcioIdentity identity) implements Signer {
    }

    /** A managed key. */
    public record KeySigner(PublicKey key) implements Signer {
    }

    /** How a signing time was proven. */
    public enum TimeSource {
        /** A Rekor v1 signed entry timestamp over the entry's integrated time. */
        TLOG_SIGNED_ENTRY_TIMESTAMP,
        /** An RFC 3161 timestamp from a TSA of the trusted root. */
        RFC3161_TIMESTAMP
    }

    /** One proven time: when, how, and by which log or timestamp authority. */
    public record SigningTime(Instant time, TimeSource source, String authority) {
    }
}
