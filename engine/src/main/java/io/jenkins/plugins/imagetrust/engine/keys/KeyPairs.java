package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * Generates key pairs with the JDK providers. Write them with {@link CosignKeyFile#encrypt} (private) and
 * {@link PublicKeys#toPem} (public) to get files cosign and skopeo read.
 */
public final class KeyPairs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairs() {
    }

    /** A new key pair of {@code algorithm}, from a {@link SecureRandom}. */
    public static KeyPair generate(KeyAlgorithm algorithm) throws KeyException {
        if (algorithm == null) {
            throw new KeyException("no key algorithm given");
        }
        try {
            KeyPairGenerator generator;
            switch (algorithm) {
                case ECDSA_P256:
                case ECDSA_P384:
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(algorithm == KeyAlgorithm.ECDSA_P256 ? "secp256r1" : "secp384r1"), RANDOM);
                    break;
                case RSA_2048:
                case RSA_3072:
                case RSA_4096:
                    generator = KeyPairGenerator.getInstance("RSA");
                    int bits = algorithm == KeyAlgorithm.RSA_2048 ? 2048 : algorithm == KeyAlgorithm.RSA_3072 ? 3072 : 4096;
                    generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), RANDOM);
                    break;
                case ED25519:
                    generator = KeyPairGenerator.getInstance("Ed25519");
                    break;
                default:
                    throw new KeyException("cannot generate " + algorithm);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyException("the JDK cannot generate a " + algorithm.description() + " key: " + e.getMessage(), e);
        }
    }
}
