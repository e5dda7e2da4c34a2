package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One requirement judged: satisfied, or failed with {@code NO_ATTESTATION} or {@code ATTESTATION_THRESHOLD_NOT_MET}.
 *
 * @param requirement the requirement
 * @param satisfied whether enough distinct keys counted
 * @param countedKeys the keys that counted, in the order they did
 * @param findings every verified attestation of its predicate type, counted or why not
 * @param reason why it failed, when it did
 * @param detail the facts, one line
 */
public record RequirementResult(AttestationRequirement requirement, boolean satisfied, List<KeyId> countedKeys,
        List<AttestationFinding> findings, Optional<AttestationReason> reason, String detail) {
    public RequirementResult {
        Objects.requireNonNull(requirement, "requirement");
        countedKeys = List.copyOf(countedKeys);
        findings = List.copyOf(findings);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
