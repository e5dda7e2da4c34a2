package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;

/**
 * A manifest exactly as the registry served it. The digest is computed from {@link #bytes()}, never taken
 * from a header, so holding a {@code Manifest} means holding bytes that hash to {@link #digest()}.
 */
public final class Manifest {
    private final String mediaType;
    private final byte[] bytes;
    private final Digest digest;

    public Manifest(String mediaType, byte[] bytes) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.bytes = bytes.clone();
        this.digest = Digest.sha256(this.bytes);
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
