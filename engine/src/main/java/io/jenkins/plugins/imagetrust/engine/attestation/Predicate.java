package io.jenkins.plugins.imagetrust.engine.attestation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import java.util.Objects;

/**
 * What to attest about an image: a predicate type URI and the predicate (a JSON object). The statement around it
 * (the subjects) is made when the image's digests are known ({@code ImageSigner}).
 */
public record Predicate(String predicateType, ObjectNode predicate) {
    public Predicate {
        predicateType = PredicateTypes.resolve(Objects.requireNonNull(predicateType, "predicateType"));
        predicate = Objects.requireNonNull(predicate, "predicate").deepCopy();
    }

    /**
     * A predicate file's bytes under a cosign {@code --type} name or a URI.
     *
     * @throws IllegalArgumentException with a one-line reason: an unknown type, or a file that is not one JSON object
     *         within {@link Statement#MAX_BYTES}
     */
    public static Predicate of(String typeNameOrUri, byte[] predicateJson) {
        return new Predicate(typeNameOrUri, Statement.readPredicate(predicateJson));
    }

    @Override
    public ObjectNode predicate() {
        return predicate.deepCopy();
    }
}
