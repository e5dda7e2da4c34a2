package io.jenkins.plugins.imagetrust.engine.attestation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import java.util.List;
import java.util.Objects;

/**
 * An envelope signed by at least one usable trusted key, whose in-toto statement names the image digest and has a
 * predicate type that was asked for.
 *
 * @param statement the verified statement
 * @param signers every usable trusted key whose signature over the envelope verifies (usually one), in policy order
 */
public record VerifiedAttestation(Statement statement, List<TrustedKey> signers) implements AttestationOutcome {
    public VerifiedAttestation {
        Objects.requireNonNull(statement, "statement");
        signers = List.copyOf(signers);
        if (signers.isEmpty()) {
            throw new IllegalArgumentException("a verified attestation has at least one signer");
        }
    }

    @Override
    public boolean verified() {
        return true;
    }

    public String predicateType() {
        return statement.predicateType();
    }

    /** A copy of the predicate. */
    public ObjectNode predicate() {
        return statement.predicate();
    }

    public List<KeyId> keyIds() {
        return signers.stream().map(TrustedKey::id).toList();
    }
}
