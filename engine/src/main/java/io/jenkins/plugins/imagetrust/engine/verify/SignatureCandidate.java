package io.jenkins.plugins.imagetrust.engine.verify;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature as found in a registry, before any judgement: the exact payload bytes and the signature over
 * them, or the reason they could not be obtained intact.
 *
 * @param source where it was found, e.g. {@code cosign:sha256-<hex>.sig#0}
 * @param payloadDigest the payload's digest as the signature manifest states it (null if unreadable)
 * @param payload the payload bytes, already checked against {@code payloadDigest}
 * @param signature the raw signature bytes
 * @param problem set when payload or signature could not be obtained; the candidate is then rejected with it
 * @param problemDetail the facts of the problem
 */
public record SignatureCandidate(
        String source,
        Digest payloadDigest,
        byte[] payload,
        byte[] signature,
        RejectionReason problem,
        String problemDetail) {

    public SignatureCandidate {
        Objects.requireNonNull(source);
        payload = payload == null ? null : payload.clone();
        signature = signature == null ? null : signature.clone();
    }

    public static SignatureCandidate of(String source, Digest payloadDigest, byte[] payload, byte[] signature) {
        return new SignatureCandidate(source, Objects.requireNonNull(payloadDigest), Objects.requireNonNull(payload),
                Objects.requireNonNull(signature), null, null);
    }

    public static SignatureCandidate unusable(String source, Digest payloadDigest, RejectionReason problem, String detail) {
        return new SignatureCandidate(source, payloadDigest, null, null, Objects.requireNonNull(problem), Objects.requireNonNull(detail));
    }

    public Optional<RejectionReason> problemReason() {
        return Optional.ofNullable(problem);
    }

    @Override
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }
}
