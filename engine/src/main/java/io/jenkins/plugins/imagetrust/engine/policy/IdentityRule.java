package io.jenkins.plugins.imagetrust.engine.policy;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import java.util.Locale;

/**
 * How a signature's {@code critical.identity.docker-reference} must relate to the image being verified.
 * The digest binding is what makes a signature belong to an image; this rule stops a signature made for one
 * repository from vouching for the same bytes pushed into another.
 */
public enum IdentityRule {
    /** The signed reference names the same registry and repository (any tag). cosign writes the repository alone. */
    SAME_REPOSITORY,
    /** The signed reference equals the verified reference exactly, tag included (containers/image's matchExact). */
    EXACT_REFERENCE,
    /** The signed reference is not checked; only the digest binds (cosign's own behaviour). */
    IGNORE;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static IdentityRule fromId(String id) {
        for (IdentityRule rule : values()) {
            if (rule.id().equalsIgnoreCase(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown identity rule '" + id
                + "' (expected 'same-repository', 'exact-reference' or 'ignore')");
    }

    /**
     * Whether {@code signedReference} (from a payload) is acceptable for {@code image}; a reference that does not
     * parse never matches, except under {@link #IGNORE}.
     */
    public boolean accepts(String signedReference, ImageReference image) {
        if (this == IGNORE) {
            return true;
        }
        ImageReference signed;
        try {
            signed = ImageReference.parse(signedReference);
        } catch (InvalidReferenceException e) {
            return false;
        }
        if (!signed.sameRepository(image)) {
            return false;
        }
        if (this == SAME_REPOSITORY) {
            return true;
        }
        return signed.tag().equals(image.tag()) && (signed.digest().isEmpty() || signed.digest().equals(image.digest()));
    }
}
