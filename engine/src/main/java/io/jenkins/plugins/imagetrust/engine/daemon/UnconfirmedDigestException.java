package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.Objects;

/**
 * The caller insisted that the Docker daemon confirm the registry's digest, and it could not: no daemon was asked,
 * or the daemon holds no digest for the image's repository (the image was never pushed to or pulled from it by this
 * daemon). {@link TagMovedException} is the case where the daemon holds a different digest.
 */
public class UnconfirmedDigestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ImageReference image;
    private final transient Digest registryDigest;

    public UnconfirmedDigestException(ImageReference image, Digest registryDigest, String message) {
        super(message);
        this.image = Objects.requireNonNull(image, "image");
        this.registryDigest = Objects.requireNonNull(registryDigest, "registryDigest");
    }

    /** The image as the caller named it. */
    public ImageReference image() {
        return image;
    }

    /** What the registry has for it now. */
    public Digest registryDigest() {
        return registryDigest;
    }
}
