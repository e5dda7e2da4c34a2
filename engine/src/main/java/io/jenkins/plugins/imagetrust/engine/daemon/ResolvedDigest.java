package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image's digest from both sources: what the registry serves for it now, and what the Docker daemon recorded when
 * it last pushed or pulled it ({@code RepoDigests}). See {@code docs/digests.md}.
 */
public final class ResolvedDigest {
    private final ImageReference image;
    private final Descriptor registryDescriptor;
    private final List<Digest> daemonDigests;
    private final String daemonEndpoint;

    /**
     * @param daemonDigests the daemon's digests for the image's repository; empty when the daemon knows none
     * @param daemonEndpoint the daemon asked, or {@code null} when no daemon was asked
     */
    public ResolvedDigest(ImageReference image, Descriptor registryDescriptor, List<Digest> daemonDigests, String daemonEndpoint) {
        this.image = Objects.requireNonNull(image, "image");
        this.registryDescriptor = Objects.requireNonNull(registryDescriptor, "registryDescriptor");
        this.daemonDigests = List.copyOf(daemonDigests);
        this.daemonEndpoint = daemonEndpoint;
        if (daemonEndpoint == null && !this.daemonDigests.isEmpty()) {
            throw new IllegalArgumentException("daemon digests without a daemon");
        }
    }

    /** The image as the caller named it. */
    public ImageReference image() {
        return image;
    }

    /** What the registry serves for the image now (media type, digest, size). */
    public Descriptor registryDescriptor() {
        return registryDescriptor;
    }

    /** What the registry serves for the image now. */
    public Digest registryDigest() {
        return registryDescriptor.digest();
    }

    /**
     * The daemon's digest for the image's repository: the registry's digest when the daemon knows it, else the
     * first the daemon knows; empty when no daemon was asked or it knows none.
     */
    public Optional<Digest> daemonDigest() {
        if (daemonDigests.contains(registryDigest())) {
            return Optional.of(registryDigest());
        }
        return daemonDigests.stream().findFirst();
    }

    /** Every digest the daemon knows for the image's repository (usually one). */
    public List<Digest> daemonDigests() {
        return daemonDigests;
    }

    /** The daemon asked, if any. */
    public Optional<String> daemonEndpoint() {
        return Optional.ofNullable(daemonEndpoint);
    }

    /** Whether the daemon knows the image under the digest the registry serves now: nothing moved the tag since. */
    public boolean agree() {
        return daemonDigests.contains(registryDigest());
    }

    /**
     * The digest to sign when the caller insists that the daemon confirms the registry.
     *
     * @throws TagMovedException when the daemon pushed another digest: the tag moved
     * @throws UnconfirmedDigestException when no daemon was asked or it knows no digest for the repository
     */
    public Digest requireAgreement() throws UnconfirmedDigestException {
        if (agree()) {
            return registryDigest();
        }
        if (daemonEndpoint == null) {
            throw new UnconfirmedDigestException(image, registryDigest(), "cannot confirm that the registry's digest "
                    + registryDigest() + " for " + image + " is what this build pushed: no Docker daemon was asked");
        }
        if (daemonDigests.isEmpty()) {
            throw new UnconfirmedDigestException(image, registryDigest(), "cannot confirm that the registry's digest "
                    + registryDigest() + " for " + image + " is what this build pushed: the Docker daemon at " + daemonEndpoint
                    + " has the image but no digest for " + image.name() + " (it was not pushed from this daemon)");
        }
        throw new TagMovedException(image, registryDigest(), daemonDigests, "the Docker daemon at " + daemonEndpoint);
    }

    @Override
    public String toString() {
        return image + ": registry " + registryDigest() + ", daemon "
                + (daemonEndpoint == null ? "not asked" : daemonDigests.isEmpty() ? "none" : daemonDigests.toString())
                + (agree() ? " (agree)" : "");
    }
}
