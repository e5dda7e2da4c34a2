package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** In-memory signing for every accepted key type, checked by our verifier and by the real openssl. */
class SigningTest {
    private static final byte[] MESSAGE = "{\"critical\":{\"type\":\"cosign container image signature\"}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "ECDSA_P256, ECDSA_SHA256",
        "ECDSA_P384, ECDSA_SHA256",
        "RSA_2048, RSA_PKCS1_SHA256",
        "RSA_2048, RSA_PSS_SHA256",
        "ED25519, ED25519"
    })
    void signsAndVerifiesRoundTrip(KeyAlgorithm algorithm, SignatureScheme scheme) throws Exception {
        KeyPair pair = KeyPairs.generate(algorithm);
        try (InMemorySigner signer = new InMemorySigner(pair, scheme)) {
            byte[] signature = signer.sign(MESSAGE);
            assertThat(signer.scheme()).isEqualTo(scheme);
            assertThat(SignatureVerifier.verify(pair.getPublic(), scheme, MESSAGE, signature)).isTrue();
            byte[] tampered = MESSAGE.clone();
            tampered[5] ^= 1;
            assertThat(SignatureVerifier.verify(pair.getPublic(), scheme, tampered, signature)).isFalse();
            assertThat(SignatureVerifier.verify(KeyPairs.generate(algorithm).getPublic(), scheme, MESSAGE, signature)).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({"ECDSA_P256, ECDSA_SHA256", "ECDSA_P384, ECDSA_SHA256", "ED25519, ED25519", "RSA_3072, RSA_PKCS1_SHA256"})
    void theDefaultSchemeIsCosigns(KeyAlgorithm algorithm, SignatureScheme expected) throws Exception {
        try (InMemorySigner signer = new InMemorySigner(KeyPairs.generate(algorithm))) {
            assertThat(signer.scheme()).isEqualTo(expected);
            assertThat(PublicKeys.describe(signer.publicKey())).isEqualTo(algorithm.description());
        }
    }

    @ParameterizedTest
    @CsvSource({"ECDSA_P256, ECDSA_SHA256", "ECDSA_P384, ECDSA_SHA256", "RSA_2048, RSA_PKCS1_SHA256", "RSA_2048, RSA_PSS_SHA256"})
    void opensslAcceptsOurSignatures(KeyAlgorithm algorithm, SignatureScheme scheme) throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        KeyPair pair = KeyPairs.generate(algorithm);
        byte[] signature;
        try (InMemorySigner signer = new InMemorySigner(pair, scheme)) {
            signature = signer.sign(MESSAGE);
        }
        Files.writeString(openssl.file("pub.pem"), PublicKeys.toPem(pair.getPublic()));
        Files.write(openssl.file("sig.der"), signature);
        Files.write(openssl.file("msg"), MESSAGE);
        String[] pss = {"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256"};
        String[] command = scheme == SignatureScheme.RSA_PSS_SHA256
                ? concat(new String[] {"dgst", "-sha256", "-verify", "pub.pem"}, pss, new String[] {"-signature", "sig.der", "msg"})
                : new String[] {"dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "msg"};
        assertThat(openssl.run(command)).contains("Verified OK");
        Files.write(openssl.file("msg"), "other".getBytes(StandardCharsets.UTF_8));
        assertThat(openssl.tryRun(command).exitCode()).isNotZero();
    }

    @Test
    void weVerifyOpensslSignatures() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        Files.write(openssl.file("msg"), MESSAGE);
        openssl.run("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "msg");
        KeyPair pair = PrivateKeys.load(openssl.bytes("key.pem"), null);
        assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, MESSAGE, openssl.bytes("sig.der"))).isTrue();
    }

    @Test
    void aClosedSignerRefusesToSign() throws Exception {
        InMemorySigner signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        signer.close();
        assertThatThrownBy(() -> signer.sign(MESSAGE)).isInstanceOf(KeyException.class).hasMessageContaining("closed");
    }

    @Test
    void aSchemeThatDoesNotFitTheKeyIsRefused() throws Exception {
        KeyPair ec = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        assertThatThrownBy(() -> new InMemorySigner(ec, SignatureScheme.RSA_PSS_SHA256))
                .isInstanceOf(KeyException.class).hasMessageContaining("does not fit a ECDSA P-256 key");
    }

    @Test
    void weakKeysCannotBeUsedForSigningEither() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        assertThatThrownBy(() -> new InMemorySigner(weak)).isInstanceOf(KeyException.class).hasMessageContaining("1024 bits");
    }

    @Test
    void toStringShowsNoKeyMaterial() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        try (InMemorySigner signer = new InMemorySigner(pair)) {
            assertThat(signer.toString()).contains("ECDSA P-256", signer.keyId().shortForm())
                    .doesNotContain(java.util.HexFormat.of().formatHex(pair.getPrivate().getEncoded()).substring(70));
        }
    }

    @Test
    void ecdsaDerAndRawConvertBothWays() throws Exception {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.ECDSA_P256, KeyAlgorithm.ECDSA_P384}) {
            KeyPair pair = KeyPairs.generate(algorithm);
            int scalar = EcdsaSignatures.scalarBytes(pair.getPublic());
            assertThat(scalar).isEqualTo(algorithm == KeyAlgorithm.ECDSA_P256 ? 32 : 48);
            try (InMemorySigner signer = new InMemorySigner(pair)) {
                for (int i = 0; i < 20; i++) { // short r or s (leading zero bytes) show up within a few tries
                    byte[] der = signer.sign(MESSAGE);
                    byte[] raw = EcdsaSignatures.derToRaw(der, scalar);
                    assertThat(raw).hasSize(2 * scalar);
                    assertThat(EcdsaSignatures.rawToDer(raw)).isEqualTo(der);
                    Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
                    p1363.initVerify(pair.getPublic());
                    p1363.update(MESSAGE);
                    assertThat(p1363.verify(raw)).isTrue();
                }
            }
        }
    }

    @Test
    void ecdsaConversionRejectsMalformedInput() throws Exception {
        assertThatThrownBy(() -> EcdsaSignatures.derToRaw(new byte[] {0x30, 0x03, 0x02, 0x01}, 32)).isInstanceOf(KeyException.class);
        assertThatThrownBy(() -> EcdsaSignatures.derToRaw(new byte[70], 32)).hasMessageContaining("malformed ASN.1");
        // BER long-form length where DER needs the short form
        byte[] nonCanonical = {0x30, (byte) 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
        assertThatThrownBy(() -> EcdsaSignatures.derToRaw(nonCanonical, 32)).isInstanceOf(KeyException.class);
        // r wider than the curve's scalars
        byte[] raw384 = new byte[96];
        raw384[0] = 1;
        raw384[95] = 1;
        byte[] wide = EcdsaSignatures.rawToDer(raw384);
        assertThatThrownBy(() -> EcdsaSignatures.derToRaw(wide, 32)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> EcdsaSignatures.rawToDer(new byte[63])).hasMessageContaining("not even");
        assertThatThrownBy(() -> EcdsaSignatures.rawToDer(new byte[64])).hasMessageContaining("zero");
    }

    @Test
    void ecdsaVerificationRefusesEveryNonCanonicalEncodingOfAValidSignature() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        try (InMemorySigner signer = new InMemorySigner(pair)) {
            byte[] der = signer.sign(MESSAGE);
            assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, MESSAGE, der)).isTrue();
            byte[] raw = EcdsaSignatures.derToRaw(der, 32);
            byte[] r = java.util.Arrays.copyOfRange(raw, 0, 32);
            byte[] s = java.util.Arrays.copyOfRange(raw, 32, 64);
            byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
            byte[] longFormLength = new byte[der.length + 1];
            longFormLength[0] = 0x30;
            longFormLength[1] = (byte) 0x81;
            System.arraycopy(der, 1, longFormLength, 2, der.length - 1);
            byte[] paddedR = sequence(integer(concatBytes(new byte[] {0, 0}, r)), integer(concatBytes(new byte[] {0}, s)));
            java.math.BigInteger order = ((java.security.interfaces.ECPublicKey) pair.getPublic()).getParams().getOrder();
            byte[] sPlusOrder = sequence(integer(new java.math.BigInteger(1, r).toByteArray()),
                    integer(new java.math.BigInteger(1, s).add(order).toByteArray()));
            for (byte[] bad : new byte[][] {trailing, longFormLength, paddedR, sPlusOrder}) {
                assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, MESSAGE, bad))
                        .as(java.util.HexFormat.of().formatHex(bad)).isFalse();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"ECDSA_P256", "ECDSA_P384"})
    void ecdsaFastPathAgreesWithTheJdkOnValidTamperedAndMutatedSignatures(KeyAlgorithm algorithm) throws Exception {
        KeyPair pair = KeyPairs.generate(algorithm);
        java.util.Random random = new java.util.Random(42);
        try (InMemorySigner signer = new InMemorySigner(pair)) {
            for (int i = 0; i < 50; i++) {
                byte[] message = new byte[1 + random.nextInt(300)];
                random.nextBytes(message);
                byte[] signature = signer.sign(message);
                byte[] mutated = signature.clone();
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
                byte[] tampered = message.clone();
                tampered[random.nextInt(tampered.length)] ^= 1;
                assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, message, signature)).isTrue();
                assertThat(EcdsaVerifier.verify((java.security.interfaces.ECPublicKey) pair.getPublic(), message, signature))
                        .as("the fast path handles this curve").contains(true);
                for (byte[][] attempt : new byte[][][] {{message, mutated}, {tampered, signature}}) {
                    assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, attempt[0], attempt[1]))
                            .isEqualTo(jdkVerifies(pair, attempt[0], attempt[1])).isFalse();
                }
            }
        }
    }

    @Test
    void ecdsaOnAnotherCurveIsLeftToTheJdk() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        KeyPair pair = generator.generateKeyPair();
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        byte[] signature = jdk.sign();
        assertThat(EcdsaVerifier.verify((java.security.interfaces.ECPublicKey) pair.getPublic(), MESSAGE, signature)).isEmpty();
        assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, MESSAGE, signature)).isTrue();
        assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, "other".getBytes(StandardCharsets.UTF_8),
                signature)).isFalse();
    }

    private static boolean jdkVerifies(KeyPair pair, byte[] message, byte[] signature) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(pair.getPublic());
        jdk.update(message);
        try {
            return jdk.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static byte[] integer(byte[] value) {
        return concatBytes(new byte[] {0x02, (byte) value.length}, value);
    }

    private static byte[] sequence(byte[] first, byte[] second) {
        return concatBytes(new byte[] {0x30, (byte) (first.length + second.length)}, concatBytes(first, second));
    }

    private static byte[] concatBytes(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
