package io.jenkins.plugins.imagetrust.engine.attestation;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy's {@code requiredAttestations} judged against everything found for one image digest: satisfied when every
 * requirement is (and trivially when there are none). Rejected envelopes are listed; they counted for nothing.
 *
 * @param satisfied whether every requirement is satisfied
 * @param results one per requirement, in policy order
 * @param rejected the envelopes that did not verify, with their reasons
 */
public record AttestationEvaluation(boolean satisfied, List<RequirementResult> results, List<RejectedAttestation> rejected) {
    public AttestationEvaluation {
        results = List.copyOf(results);
        rejected = List.copyOf(rejected);
    }

    /** Judges {@code outcomes} ({@link AttestationVerifier}'s, one per envelope found) against {@code requirements}. */
    public static AttestationEvaluation evaluate(List<AttestationRequirement> requirements, List<AttestationOutcome> outcomes) {
        List<VerifiedAttestation> verified = new ArrayList<>();
        List<RejectedAttestation> rejected = new ArrayList<>();
        for (AttestationOutcome outcome : outcomes) {
            if (outcome instanceof VerifiedAttestation attestation) {
                verified.add(attestation);
            } else {
                rejected.add((RejectedAttestation) outcome);
            }
        }
        List<RequirementResult> results = requirements.stream().map(requirement -> requirement.evaluate(verified)).toList();
        return new AttestationEvaluation(results.stream().allMatch(RequirementResult::satisfied), results, rejected);
    }
}
