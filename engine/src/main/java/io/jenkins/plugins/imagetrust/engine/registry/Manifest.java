package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest exactly as the registry served it. The digest is computed from {@link #bytes()}, never taken
 * from a header, so holding a {@code Manifest} means holding bytes that hash to {@link #digest()}.
 */
public final class Manifest {
    private final String mediaType;
    private final byte[] bytes;
    private final Digest digest;
    private final String entityTag;

    public Manifest(String mediaType, byte[] bytes) {
        this(mediaType, bytes, null);
    }

    /** @param entityTag the {@code ETag} the registry answered with, verbatim; null when it sent none */
    public Manifest(String mediaType, byte[] bytes, String entityTag) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.bytes = bytes.clone();
        this.digest = Digest.sha256(this.bytes);
        this.entityTag = entityTag;
    }

    /**
     * The registry's {@code ETag} for this manifest, verbatim, for a conditional {@code PUT} ({@code If-Match}); a
     * validator only, never trusted for content (the digest is computed from the bytes).
     */
    public Optional<String> entityTag() {
        return Optional.ofNullable(entityTag);
    }

    public String mediaType() {
        return mediaType;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public Digest digest() {
        return digest;
    }

    public long size() {
        return bytes.length;
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }
}
