package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
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
     * The digest to sign, the engine's one rule for it: the reference's own digest when it is pinned; else the
     * registry's, which must be a digest the build pushed when that is known: {@code pushedByTheBuild} when the caller
     * gives them, else those of the Docker daemon asked. With neither, the registry's digest is signed as it is now
     * (and the log says there was nothing to compare it with). See {@code docs/digests.md}.
     *
     * @param pushedByTheBuild the digests the build pushed, as the caller knows them; empty when it does not
     * @param signRegistryDigest sign the registry's digest even when it is not one the build pushed (with a warning)
     * @throws TagMovedException when the registry's digest (or the pinned one) is not one the build pushed
     */
    public Digest toSign(List<Digest> pushedByTheBuild, boolean signRegistryDigest, ProgressListener listener) throws TagMovedException {
        if (image.digest().isPresent()) {
            Digest pinned = image.digest().get();
            if (!pushedByTheBuild.isEmpty() && !pushedByTheBuild.contains(pinned)) {
                throw new TagMovedException(image, pinned, pushedByTheBuild, "the build");
            }
            return pinned;
        }
        Digest now = registryDigest();
        boolean fromCaller = !pushedByTheBuild.isEmpty();
        List<Digest> pushed = fromCaller ? pushedByTheBuild : daemonDigests;
        String pushedBy = fromCaller ? "the build" : "the Docker daemon at " + daemonEndpoint().orElse("?");
        if (pushed.isEmpty()) {
            listener.info("resolve", "signing " + now + ", what " + image + " names at the registry now"
                    + " (no digest from the build to compare it with)");
            return now;
        }
        if (pushed.contains(now)) {
            listener.info("resolve", image + " is " + now + ", the digest " + pushedBy + " pushed");
            return now;
        }
        if (signRegistryDigest) {
            listener.warning("resolve", image + " now names " + now + ", not what " + pushedBy + " pushed; signing the registry's digest as asked");
            return now;
        }
        throw new TagMovedException(image, now, pushed, pushedBy);
    }

    @Override
    public String toString() {
        return image + ": registry " + registryDigest() + ", daemon "
                + (daemonEndpoint == null ? "not asked" : daemonDigests.isEmpty() ? "none" : daemonDigests.toString())
                + (agree() ? " (agree)" : "");
    }
}
