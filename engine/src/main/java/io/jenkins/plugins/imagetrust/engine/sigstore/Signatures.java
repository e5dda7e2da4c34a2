package io.jenkins.plugins.imagetrust.engine.sigstore;

import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import java.security.PublicKey;

/** Signature checks with the scheme Sigstore uses for each key type (ECDSA and RSA PKCS#1 v1.5 over SHA-256, Ed25519). */
final class Signatures {
    private Signatures() {
    }

    /** Whether {@code signature} over {@code message} verifies with {@code key}; an unusable key or signature does not. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        SignatureScheme scheme;
        try {
            scheme = SignatureScheme.defaultFor(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return SignatureVerifier.verify(key, scheme, message, signature);
    }

    /** The same for a message known by its SHA-256 digest only. */
    static boolean verifyDigest(PublicKey key, byte[] sha256, byte[] signature) {
        return SignatureVerifier.verifyDigest(key, sha256, signature);
    }
}
