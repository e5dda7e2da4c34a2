package io.jenkins.plugins.imagetrust.engine.intoto;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One subject of an in-toto statement: an optional name, its digests by algorithm (hex as written) and its string
 * annotations (cosign's image signature statement carries the sign annotations there; members of other types are
 * not kept).
 */
public record Subject(Optional<String> name, Map<String, String> digests, Map<String, String> annotations) {
    public Subject {
        Objects.requireNonNull(name, "name");
        digests = Map.copyOf(new TreeMap<>(digests));
        annotations = Map.copyOf(annotations);
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("a statement subject needs a digest");
        }
    }

    /** A subject without annotations. */
    public Subject(Optional<String> name, Map<String, String> digests) {
        this(name, digests, Map.of());
    }

    /** The subject for {@code digest} in {@code image}'s repository, named as cosign names it: the repository, no tag. */
    public static Subject of(ImageReference image, Digest digest) {
        return new Subject(Optional.of(image.repositoryOnly().name()), Map.of(digest.algorithm(), digest.hex()));
    }

    /** Whether one of the digests is {@code digest}. */
    public boolean names(Digest digest) {
        return digest.hex().equals(digests.get(digest.algorithm()));
    }
}
