package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to real key files: the parsers either succeed or throw {@link KeyException}; no other
 * exception (a BouncyCastle parser's IllegalStateException, an ArrayIndexOutOfBounds…) may escape to the caller.
 */
class MalformedInputTest {
    private static final long SEED = 20261125L;
    private static final int ROUNDS = 1500;

    @Test
    void damagedPrivateKeysFailOnlyWithKeyException() throws Exception {
        List<byte[]> ders = new ArrayList<>();
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.ECDSA_P256, KeyAlgorithm.RSA_2048, KeyAlgorithm.ED25519}) {
            ders.add(KeyMaterial.pkcs8(KeyPairs.generate(algorithm).getPrivate()));
        }
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] der = damage(ders.get(i % ders.size()), random);
            String type = random.nextBoolean() ? "PRIVATE KEY" : random.nextBoolean() ? "EC PRIVATE KEY" : "RSA PRIVATE KEY";
            assertOnlyKeyException(() -> PrivateKeys.load(Pem.encode(type, der), null), "private key round " + i);
        }
    }

    @Test
    void damagedPublicKeysAndPemTextFailOnlyWithKeyException() throws Exception {
        byte[] spki = PublicKeys.parse(InteropFixtures.text("cosign/signing-key.pub")).getEncoded();
        byte[] text = InteropFixtures.bytes("cosign/signing-key.pub");
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] der = damage(spki, random);
            assertOnlyKeyException(() -> PublicKeys.parse(new String(Pem.encode("PUBLIC KEY", der), StandardCharsets.US_ASCII)), "SPKI round " + i);
            byte[] pem = damage(text, random);
            assertOnlyKeyException(() -> PublicKeys.parse(new String(pem, StandardCharsets.ISO_8859_1)), "PEM text round " + i);
        }
    }

    @Test
    void damagedCosignEnvelopesFailOnlyWithKeyException() {
        byte[] file = InteropFixtures.bytes("cosign/skopeo-generated.cosign.key");
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] pem = damage(file, random);
            assertOnlyKeyException(() -> CosignKeyFile.parse(pem), "cosign envelope round " + i);
        }
    }

    @Test
    void damagedEcdsaSignaturesFailOnlyWithKeyException() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        byte[] signature;
        try (InMemorySigner signer = new InMemorySigner(pair)) {
            signature = signer.sign(new byte[] {1, 2, 3});
        }
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] der = damage(signature, random);
            assertOnlyKeyException(() -> EcdsaSignatures.derToRaw(der, 32), "signature round " + i);
            assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, new byte[] {1, 2, 3}, der))
                    .as("damaged signature %d verifies", i).isEqualTo(java.util.Arrays.equals(der, signature));
        }
    }

    /** Flips, truncates, extends or overwrites a few bytes. */
    private static byte[] damage(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(4)) {
            case 0:
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            case 1:
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2: {
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                for (int k = bytes.length; k < longer.length; k++) {
                    longer[k] = (byte) random.nextInt(256);
                }
                return longer;
            }
            default:
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                return bytes;
        }
    }

    private interface Action {
        Object run() throws Exception;
    }

    private static void assertOnlyKeyException(Action action, String what) {
        Throwable thrown = catchThrowable(action::run);
        if (thrown != null && !(thrown instanceof KeyException)) {
            throw new AssertionError(what + ": escaped as " + thrown, thrown);
        }
    }
}
