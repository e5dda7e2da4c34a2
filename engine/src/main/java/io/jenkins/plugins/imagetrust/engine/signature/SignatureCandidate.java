package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature as found in a registry, before any judgement: the exact bytes the signature is over and the
 * signature, and how to read what it claims once it verified; or the reason they could not be obtained intact.
 *
 * @param source where it was found, e.g. {@code cosign:sha256-<hex>.sig#0} or {@code bundle:<repo>@<referrer digest>}
 * @param payloadDigest the digest of the blob that holds the payload (the simple-signing blob, or the bundle blob);
 *        null if unreadable
 * @param signedBytes the bytes the signature is over, already checked against their blob's digest
 * @param signature the raw signature bytes
 * @param claims reads what the signed bytes claim; called only once the signature verified under a trusted key
 * @param problem set when the signed bytes or signature could not be obtained; the candidate is then rejected with it
 * @param problemDetail the facts of the problem
 * @param format the format it was found in
 * @param keyless its keyless material (a Fulcio certificate …), when it has some; null otherwise
 */
public record SignatureCandidate(
        String source,
        Digest payloadDigest,
        byte[] signedBytes,
        byte[] signature,
        ClaimsReader claims,
        RejectionReason problem,
        String problemDetail,
        SignatureFormat format,
        KeylessMaterial keyless) {

    /** Reads the claims of a candidate's signed bytes, which the format alone knows how to parse. */
    @FunctionalInterface
    public interface ClaimsReader {
        /** What the signed bytes claim about {@code image}, the digest being verified. */
        Claims read(Digest image) throws MalformedSignatureException;
    }

    public SignatureCandidate {
        Objects.requireNonNull(source);
        Objects.requireNonNull(format);
        signature = signature == null ? null : signature.clone();
        signedBytes = signedBytes == null ? null : signedBytes.clone();
    }

    /** A signature obtained intact. */
    public static SignatureCandidate signed(SignatureFormat format, String source, Digest payloadDigest, byte[] signedBytes,
            byte[] signature, ClaimsReader claims) {
        return new SignatureCandidate(source, Objects.requireNonNull(payloadDigest), Objects.requireNonNull(signedBytes),
                Objects.requireNonNull(signature), Objects.requireNonNull(claims), null, null, format, null);
    }

    /** A signature of {@code format} that could not be obtained intact. */
    public static SignatureCandidate unusable(SignatureFormat format, String source, Digest payloadDigest, RejectionReason problem,
            String detail) {
        return new SignatureCandidate(source, payloadDigest, null, null, null, Objects.requireNonNull(problem), Objects.requireNonNull(detail),
                format, null);
    }

    /** This intact signature, made with a Fulcio certificate whose material {@code material} verifies. */
    public SignatureCandidate withKeyless(KeylessMaterial material) {
        if (problem != null) {
            throw new IllegalStateException("an unusable candidate has no keyless material");
        }
        return new SignatureCandidate(source, payloadDigest, signedBytes, signature, claims, null, null, format, Objects.requireNonNull(material));
    }

    public Optional<KeylessMaterial> keylessMaterial() {
        return Optional.ofNullable(keyless);
    }

    public Optional<RejectionReason> problemReason() {
        return Optional.ofNullable(problem);
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public byte[] signedBytes() {
        return signedBytes == null ? null : signedBytes.clone();
    }
}
