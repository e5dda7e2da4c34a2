package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.Objects;
import java.util.Optional;

/**
 * One attestation a {@link SignatureStorage} found for a digest, read intact (fetched by digest, under a cap) but not
 * parsed or verified: the {@code attestation} package parses and verifies it. One that could not be read carries why.
 *
 * @param format the storage format it was found in
 * @param source where it was found, for the report ({@code repo:sha256-<hex>.att#2}, {@code bundle:repo@sha256:…})
 * @param content the envelope JSON or the bundle JSON, per {@code kind}; empty when unreadable
 * @param kind what {@code content} is
 * @param problem why it could not be read; null when it could
 */
public record AttestationCandidate(SignatureFormat format, String source, byte[] content, Kind kind, String problem) {
    /** What a found attestation's bytes are. */
    public enum Kind {
        /** A DSSE envelope's JSON (a {@code .att} layer). */
        DSSE_ENVELOPE,
        /** A Sigstore bundle's JSON (a bundle referrer's layer). */
        SIGSTORE_BUNDLE,
        /** Nothing could be read: see {@code problem}. */
        UNREADABLE
    }

    /**
     * The largest attestation layer read: at least what the envelope parser accepts (a statement of 8 MiB in base64
     * and its signatures); the parser applies its own, exact cap.
     */
    public static final long MAX_BYTES = 11L * 1024 * 1024;

    public AttestationCandidate {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        content = content == null ? new byte[0] : content.clone();
        if ((kind == Kind.UNREADABLE) != (problem != null)) {
            throw new IllegalArgumentException("an unreadable candidate, and only one, has a problem");
        }
    }

    public static AttestationCandidate read(SignatureFormat format, String source, byte[] content, Kind kind) {
        return new AttestationCandidate(format, source, content, kind, null);
    }

    public static AttestationCandidate unreadable(SignatureFormat format, String source, String problem) {
        return new AttestationCandidate(format, source, null, Kind.UNREADABLE, Objects.requireNonNull(problem));
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Why it could not be read, when it could not. */
    public Optional<String> unreadableBecause() {
        return Optional.ofNullable(problem);
    }
}
