package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * Checks a signature over exact bytes with a public key: ECDSA on P-256 and P-384 with {@link EcdsaVerifier}
 * (BouncyCastle's lightweight API, no provider), everything else with the JDK providers.
 */
public final class SignatureVerifier {
    private SignatureVerifier() {
    }

    /**
     * Whether {@code signature} is valid over {@code message} under {@code key} and {@code scheme}. A key
     * whose type does not fit the scheme, or a malformed signature, is simply not valid.
     */
    public static boolean verify(PublicKey key, SignatureScheme scheme, byte[] message, byte[] signature) {
        if (!scheme.fits(key)) {
            return false;
        }
        if (scheme == SignatureScheme.ECDSA_SHA256 && key instanceof ECPublicKey) {
            Optional<Boolean> valid = EcdsaVerifier.verify((ECPublicKey) key, message, signature);
            if (valid.isPresent()) {
                return valid.get();
            }
        }
        try {
            Signature verifier = newSignature(scheme);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a signature that cannot even be decoded is not a valid signature
        }
    }

    /**
     * Whether {@code signature} is valid under {@code key} for a message known only by its SHA-256 digest (ECDSA with
     * SHA-256, or RSA PKCS#1 v1.5 with SHA-256). Ed25519 and RSA-PSS hash inside the signature, so a digest alone
     * cannot be checked: false.
     */
    public static boolean verifyDigest(PublicKey key, byte[] sha256, byte[] signature) {
        if (sha256.length != 32) {
            return false;
        }
        if (key instanceof ECPublicKey) {
            return EcdsaVerifier.verifyDigest((ECPublicKey) key, sha256, signature).orElse(false);
        }
        if (key instanceof RSAPublicKey) {
            try {
                Signature verifier = Signature.getInstance("NONEwithRSA");
                verifier.initVerify(key);
                verifier.update(SHA256_DIGEST_INFO_PREFIX);
                verifier.update(sha256);
                return verifier.verify(signature);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** DER {@code DigestInfo} of SHA-256 up to the 32 hash bytes (RFC 8017 section 9.2, note 1). */
    private static final byte[] SHA256_DIGEST_INFO_PREFIX = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65,
            0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

    /** A JDK {@link Signature} set up for {@code scheme} (PSS parameters included). */
    public static Signature newSignature(SignatureScheme scheme) throws GeneralSecurityException {
        return withParameters(Signature.getInstance(scheme.jcaName()), scheme);
    }

    /** The same from one provider (a PKCS#11 token's, whose keys only its own provider can use). */
    static Signature newSignature(SignatureScheme scheme, Provider provider) throws GeneralSecurityException {
        return withParameters(Signature.getInstance(scheme.jcaName(), provider), scheme);
    }

    private static Signature withParameters(Signature signature, SignatureScheme scheme) throws GeneralSecurityException {
        if (scheme == SignatureScheme.RSA_PSS_SHA256) {
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        return signature;
    }
}
