package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The registry's digest for a tag is not the one the Docker daemon pushed: someone pushed to the tag since this
 * daemon did (or the daemon's digest is stale). Signing what the tag points to now would sign an image this build
 * did not push. The message names the image and both digests.
 */
public class TagMovedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ImageReference image;
    private final transient Digest registryDigest;
    private final transient List<Digest> daemonDigests;

    /**
     * @param pushedBy who vouches for {@code daemonDigests}, for the message: e.g. "the Docker daemon at unix:///…"
     *     or "the build"
     */
    public TagMovedException(ImageReference image, Digest registryDigest, List<Digest> daemonDigests, String pushedBy) {
        super("the tag " + image + " moved: the registry now has " + registryDigest
                + " but " + pushedBy + " pushed "
                + daemonDigests.stream().map(Digest::toString).collect(Collectors.joining(" or "))
                + "; refusing to use a digest this build did not push");
        this.image = Objects.requireNonNull(image, "image");
        this.registryDigest = Objects.requireNonNull(registryDigest, "registryDigest");
        this.daemonDigests = List.copyOf(daemonDigests);
    }

    /** The image as the caller named it. */
    public ImageReference image() {
        return image;
    }

    /** What the registry has for it now (or the pinned digest the build did not push). */
    public Digest registryDigest() {
        return registryDigest;
    }

    /** The digests the daemon knows for the image's repository (usually one), none of which the registry has. */
    public List<Digest> daemonDigests() {
        return daemonDigests;
    }

    /** The daemon's digest (the first when it knows several). */
    public Digest daemonDigest() {
        return daemonDigests.get(0);
    }
}
