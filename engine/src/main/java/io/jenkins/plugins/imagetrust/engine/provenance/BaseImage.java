package io.jenkins.plugins.imagetrust.engine.provenance;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;

/** An image the build started from, by its pinned name ({@code REPO@DIGEST}): a resolved dependency. */
public record BaseImage(String name, Digest digest) {
    public BaseImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
    }
}
