package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Fresh in-memory keys for tests (the keys package's own signers are another engineer's work). */
final class TestSigners {
    private TestSigners() {
    }

    static Signer ecdsa() {
        return generate("EC", SignatureScheme.ECDSA_SHA256);
    }

    static Signer rsaPss() {
        return generate("RSA", SignatureScheme.RSA_PSS_SHA256);
    }

    static Signer ed25519() {
        return generate("Ed25519", SignatureScheme.ED25519);
    }

    private static Signer generate(String algorithm, SignatureScheme scheme) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else if (algorithm.equals("RSA")) {
                generator.initialize(2048);
            }
            KeyPair pair = generator.generateKeyPair();
            return new InMemory(pair.getPublic(), pair.getPrivate(), scheme);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class InMemory implements Signer {
        private final PublicKey publicKey;
        private final PrivateKey privateKey;
        private final SignatureScheme scheme;

        InMemory(PublicKey publicKey, PrivateKey privateKey, SignatureScheme scheme) {
            this.publicKey = publicKey;
            this.privateKey = privateKey;
            this.scheme = scheme;
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public SignatureScheme scheme() {
            return scheme;
        }

        @Override
        public byte[] sign(byte[] message) throws KeyException {
            try {
                Signature signature = SignatureVerifier.newSignature(scheme);
                signature.initSign(privateKey);
                signature.update(message);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new KeyException("test signing failed", e);
            }
        }

        @Override
        public void close() {
        }
    }
}
