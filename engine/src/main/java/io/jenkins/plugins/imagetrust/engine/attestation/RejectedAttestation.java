package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import java.util.Objects;
import java.util.Optional;

/**
 * An envelope that counts for nothing, with its reason and the facts.
 *
 * @param reason why
 * @param detail the facts of the case, one line
 * @param keyId the trusted key whose signature verified, when it got that far
 * @param predicateType the statement's predicate type, when it got that far
 */
public record RejectedAttestation(AttestationReason reason, String detail, Optional<KeyId> keyId, Optional<String> predicateType)
        implements AttestationOutcome {
    public RejectedAttestation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(predicateType, "predicateType");
    }

    @Override
    public boolean verified() {
        return false;
    }
}
