package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.sigstore.KeylessVerifier;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.VerifiedBundle;

/**
 * A candidate's keyless verification material (a Fulcio certificate with its log entries and timestamps), bound to
 * the bytes its format found: one more kind of verification material besides a trusted key. The format knows which
 * {@link KeylessVerifier} entry point its layout needs; the policy supplies the root and the identity.
 */
@FunctionalInterface
public interface KeylessMaterial {
    /**
     * Verifies the material against {@code verifier}'s trusted root and {@code identity}.
     *
     * @throws SigstoreException with the reason of the first check that failed
     */
    VerifiedBundle verify(KeylessVerifier verifier, SignerPolicy.CertificateIdentity identity) throws SigstoreException;
}
