package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
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
