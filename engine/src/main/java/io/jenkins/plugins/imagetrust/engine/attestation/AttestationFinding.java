package io.jenkins.plugins.imagetrust.engine.attestation;

import java.util.Objects;
import java.util.Optional;

/**
 * How one verified attestation fared against one requirement: counted, or not with its reason.
 *
 * @param attestation the verified attestation
 * @param counted whether it counted towards the requirement's threshold
 * @param reason why not, when it did not count
 * @param detail the facts, one line
 */
public record AttestationFinding(VerifiedAttestation attestation, boolean counted, Optional<AttestationReason> reason, String detail) {
    public AttestationFinding {
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (counted == reason.isPresent()) {
            throw new IllegalArgumentException("a finding has a reason exactly when it did not count");
        }
    }

    static AttestationFinding notCounted(VerifiedAttestation attestation, AttestationReason reason, String detail) {
        return new AttestationFinding(attestation, false, Optional.of(reason), detail);
    }
}
