package io.jenkins.plugins.imagetrust.engine.sigstore;

import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * Signature checks with the scheme the Sigstore clients pick for each key type (sigstore {@code pkg/signature}
 * {@code GetDefaultAlgorithmDetails}, protobuf-specs {@code PublicKeyDetails}): ECDSA P-256 with SHA-256, ECDSA
 * P-384 with SHA-384, RSA PKCS#1 v1.5 with SHA-256, Ed25519 over the message itself. One hash per key type: a P-384
 * signature over SHA-256 is not accepted, as sigstore-go does not.
 */
final class Signatures {
    private static final int P384_FIELD_BITS = 384;

    private Signatures() {
    }

    /** Whether {@code signature} over {@code message} verifies with {@code key}; an unusable key or signature does not. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (isP384(key)) {
            return verifyJdk("SHA384withECDSA", key, message, signature);
        }
        return verifyAsCosignKey(key, message, signature);
    }

    /**
     * The same for the signer of a bundle: a certificate's key as above; a managed key as cosign signs with one
     * (ECDSA over SHA-256 on every curve, {@link SignatureScheme#defaultFor}), as the engine's keyed cosign path does.
     */
    static boolean verifySigner(PublicKey key, boolean certificate, byte[] message, byte[] signature) {
        return certificate ? verify(key, message, signature) : verifyAsCosignKey(key, message, signature);
    }

    /** {@link #verifySigner} for a message known by its SHA-256 digest only. */
    static boolean verifySignerDigest(PublicKey key, boolean certificate, byte[] sha256, byte[] signature) {
        return certificate ? verifyDigest(key, sha256, signature) : SignatureVerifier.verifyDigest(key, sha256, signature);
    }

    /** Whether a digest alone is enough to check the signer's signature. */
    static boolean signerVerifiableFromSha256(PublicKey key, boolean certificate) {
        return !SignatureScheme.ED25519.fits(key) && !(certificate && isP384(key));
    }

    private static boolean verifyAsCosignKey(PublicKey key, byte[] message, byte[] signature) {
        SignatureScheme scheme;
        try {
            scheme = SignatureScheme.defaultFor(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return SignatureVerifier.verify(key, scheme, message, signature);
    }

    /**
     * The same for a message known by its SHA-256 digest only: possible for P-256 and RSA keys; a P-384 key signs a
     * SHA-384 digest and Ed25519 hashes inside the signature, so for them it is false (the caller needs the bytes).
     */
    static boolean verifyDigest(PublicKey key, byte[] sha256, byte[] signature) {
        return !isP384(key) && SignatureVerifier.verifyDigest(key, sha256, signature);
    }

    private static boolean isP384(PublicKey key) {
        return key instanceof ECPublicKey && ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() == P384_FIELD_BITS;
    }

    private static boolean verifyJdk(String algorithm, PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a signature that cannot be decoded is not valid
        }
    }
}
