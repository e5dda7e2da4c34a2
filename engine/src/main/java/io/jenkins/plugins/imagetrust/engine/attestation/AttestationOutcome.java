package io.jenkins.plugins.imagetrust.engine.attestation;

/** What {@link AttestationVerifier} concluded about one envelope: verified, or rejected with a reason. */
public sealed interface AttestationOutcome permits VerifiedAttestation, RejectedAttestation {
    /** Whether the attestation verified (it may still fail a requirement's key or field rules). */
    boolean verified();
}
