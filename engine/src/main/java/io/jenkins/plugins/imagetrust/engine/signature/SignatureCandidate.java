package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature as found in a registry, before any judgement: the exact payload bytes, the exact bytes the signature
 * is over (the payload itself, or its DSSE pre-authentication encoding) and the signature, or the reason they could
 * not be obtained intact.
 *
 * @param source where it was found, e.g. {@code cosign:sha256-<hex>.sig#0} or {@code bundle:<repo>@<referrer digest>}
 * @param payloadDigest the digest of the blob that holds the payload (the simple-signing blob, or the bundle blob);
 *        null if unreadable
 * @param payload the payload bytes, already checked against their blob's digest
 * @param signature the raw signature bytes
 * @param problem set when payload or signature could not be obtained; the candidate is then rejected with it
 * @param problemDetail the facts of the problem
 * @param format the format it was found in ({@link SignatureFormat#LEGACY} or {@link SignatureFormat#BUNDLE})
 * @param kind what the payload is, which says how it is parsed after the signature verifies
 * @param signedBytes the bytes the signature is over
 */
public record SignatureCandidate(
        String source,
        Digest payloadDigest,
        byte[] payload,
        byte[] signature,
        RejectionReason problem,
        String problemDetail,
        SignatureFormat format,
        PayloadKind kind,
        byte[] signedBytes) {

    /** What a candidate's payload is. */
    public enum PayloadKind {
        /** A cosign simple-signing document (legacy {@code .sig}); signed as is. */
        SIMPLE_SIGNING,
        /** An in-toto statement from a bundle's DSSE envelope; signed through its PAE. */
        IN_TOTO_STATEMENT,
        /** The image manifest itself, signed by a bundle's {@code messageSignature}. */
        IMAGE_MANIFEST
    }

    public SignatureCandidate {
        Objects.requireNonNull(source);
        Objects.requireNonNull(format);
        Objects.requireNonNull(kind);
        payload = payload == null ? null : payload.clone();
        signature = signature == null ? null : signature.clone();
        signedBytes = signedBytes == null ? null : signedBytes.clone();
    }

    /** A legacy simple-signing signature over the exact payload bytes. */
    public static SignatureCandidate of(String source, Digest payloadDigest, byte[] payload, byte[] signature) {
        return new SignatureCandidate(source, Objects.requireNonNull(payloadDigest), Objects.requireNonNull(payload),
                Objects.requireNonNull(signature), null, null, SignatureFormat.LEGACY, PayloadKind.SIMPLE_SIGNING, payload);
    }

    /** A bundle's DSSE signature: {@code signedBytes} is the PAE of {@code statement}. */
    public static SignatureCandidate bundleStatement(String source, Digest bundleDigest, byte[] statement, byte[] signedBytes, byte[] signature) {
        return new SignatureCandidate(source, Objects.requireNonNull(bundleDigest), Objects.requireNonNull(statement),
                Objects.requireNonNull(signature), null, null, SignatureFormat.BUNDLE, PayloadKind.IN_TOTO_STATEMENT,
                Objects.requireNonNull(signedBytes));
    }

    /** A bundle's message signature over the image manifest bytes (fetched by the image digest, so already checked). */
    public static SignatureCandidate bundleMessage(String source, Digest bundleDigest, byte[] manifest, byte[] signature) {
        return new SignatureCandidate(source, Objects.requireNonNull(bundleDigest), Objects.requireNonNull(manifest),
                Objects.requireNonNull(signature), null, null, SignatureFormat.BUNDLE, PayloadKind.IMAGE_MANIFEST, manifest);
    }

    /** A legacy signature that could not be obtained intact. */
    public static SignatureCandidate unusable(String source, Digest payloadDigest, RejectionReason problem, String detail) {
        return unusable(SignatureFormat.LEGACY, source, payloadDigest, problem, detail);
    }

    /** A signature of {@code format} that could not be obtained intact. */
    public static SignatureCandidate unusable(SignatureFormat format, String source, Digest payloadDigest, RejectionReason problem,
            String detail) {
        PayloadKind kind = format == SignatureFormat.LEGACY ? PayloadKind.SIMPLE_SIGNING : PayloadKind.IN_TOTO_STATEMENT;
        return new SignatureCandidate(source, payloadDigest, null, null, Objects.requireNonNull(problem), Objects.requireNonNull(detail),
                format, kind, null);
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

    @Override
    public byte[] signedBytes() {
        return signedBytes == null ? null : signedBytes.clone();
    }
}
