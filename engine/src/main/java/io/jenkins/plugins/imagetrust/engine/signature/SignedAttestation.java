package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.Objects;

/**
 * An attestation ready to store: one signed DSSE envelope over an in-toto statement, in the two forms the storage
 * formats lay out (the {@code attestation} package makes it: {@code Envelope.toSignedAttestation}). The envelope is
 * signed once and is the same in every format, so writing it in several formats costs one signature.
 *
 * @param predicateType the statement's predicate type (taken from the signed statement, never given separately)
 * @param envelope the DSSE envelope JSON, as cosign writes it into a {@code .att} layer
 * @param bundle the Sigstore bundle v0.3 JSON carrying the same envelope
 */
public record SignedAttestation(String predicateType, byte[] envelope, byte[] bundle) {
    public SignedAttestation {
        Objects.requireNonNull(predicateType, "predicateType");
        envelope = envelope.clone();
        bundle = bundle.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public byte[] bundle() {
        return bundle.clone();
    }
}
