package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/**
 * How a signature is computed. cosign records no algorithm in a signature: the verifier knows it from the key,
 * so {@link #defaultFor(PublicKey)} picks what cosign uses for each key type.
 */
public enum SignatureScheme {
    /** ECDSA over SHA-256, ASN.1 DER signature (cosign's default, for P-256 and P-384 keys alike). */
    ECDSA_SHA256("SHA256withECDSA"),
    /** RSA PKCS#1 v1.5 with SHA-256 (cosign's RSA image signatures). */
    RSA_PKCS1_SHA256("SHA256withRSA"),
    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (Notary's rsapss). */
    RSA_PSS_SHA256("RSASSA-PSS"),
    /** Ed25519 over the message itself. */
    ED25519("Ed25519");

    private final String jcaName;

    SignatureScheme(String jcaName) {
        this.jcaName = jcaName;
    }

    public String jcaName() {
        return jcaName;
    }

    /** The scheme cosign uses with a key of this type. */
    public static SignatureScheme defaultFor(PublicKey key) {
        if (key instanceof ECKey) {
            return ECDSA_SHA256;
        }
        if (key instanceof RSAKey) {
            return RSA_PKCS1_SHA256;
        }
        if ("Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            return ED25519;
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    /** Whether a key of this type can make or check signatures of this scheme (guards algorithm confusion). */
    public boolean fits(PublicKey key) {
        switch (this) {
            case ECDSA_SHA256:
                return key instanceof ECKey;
            case RSA_PKCS1_SHA256:
            case RSA_PSS_SHA256:
                return key instanceof RSAKey;
            case ED25519:
                return "Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm());
            default:
                return false;
        }
    }
}
