package io.jenkins.plugins.imagetrust.engine.keys;

import static io.jenkins.plugins.imagetrust.engine.keys.SecretAssertions.assertNoSecretIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** cosign/sigstore encrypted key files: the real files skopeo and an independent writer made (C10, C11), and ours. */
class CosignKeyFileTest {
    private static final String PASSPHRASE = "sigstore-pass";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"signing-key", "skopeo-generated"})
    void decryptsTheInteropKeysAndDerivesTheirPublicKeys(String name) throws Exception {
        byte[] file = InteropFixtures.bytes("cosign/" + name + ".cosign.key");
        PublicKey expected = PublicKeys.parse(InteropFixtures.text("cosign/" + (name.equals("signing-key") ? "signing-key.pub" : "skopeo-generated.pub")));

        CosignKeyFile parsed = CosignKeyFile.parse(file);
        assertThat(parsed.pemType()).isEqualTo(CosignKeyFile.PemType.COSIGN);
        assertThat(parsed.ciphertextLength()).isEqualTo(154);
        byte[] der = parsed.decryptToPkcs8(PASSPHRASE.toCharArray());
        assertThat(der).hasSize(138);

        KeyPair pair = PrivateKeys.load(file, PASSPHRASE.toCharArray());
        assertThat(pair.getPublic().getEncoded()).isEqualTo(expected.getEncoded());
        assertThat(KeyId.of(pair.getPublic())).isEqualTo(KeyId.of(expected));
        assertThat(PublicKeys.describe(pair.getPublic())).isEqualTo("ECDSA P-256");
    }

    @Test
    void theDecryptedInteropKeySignsWhatItsPublicKeyVerifies() throws Exception {
        byte[] payload = InteropFixtures.bytes("cosign/signature-payload.json");
        PublicKey published = PublicKeys.parse(InteropFixtures.text("cosign/signing-key.pub"));
        try (Signer signer = PrivateKeys.loadSigner(InteropFixtures.bytes("cosign/signing-key.cosign.key"), PASSPHRASE.toCharArray())) {
            byte[] signature = signer.sign(payload);
            assertThat(SignatureVerifier.verify(published, SignatureScheme.ECDSA_SHA256, payload, signature)).isTrue();
        }
        // and the signature skopeo made with it verifies under the key we derived
        KeyPair pair = PrivateKeys.load(InteropFixtures.bytes("cosign/signing-key.cosign.key"), PASSPHRASE.toCharArray());
        assertThat(SignatureVerifier.verify(pair.getPublic(), SignatureScheme.ECDSA_SHA256, payload,
                InteropFixtures.bytes("cosign/signature.der"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"signing-key", "skopeo-generated"})
    void aWrongPassphraseFailsWithoutEchoingIt(String name) {
        byte[] file = InteropFixtures.bytes("cosign/" + name + ".cosign.key");
        String wrong = "sigstore-pass-WRONG";
        Throwable thrown = catchThrowable(() -> PrivateKeys.load(file, wrong.toCharArray()));
        assertThat(thrown).isInstanceOf(KeyException.class).hasMessage("bad passphrase or corrupted key");
        assertNoSecretIn(thrown, wrong, PASSPHRASE);
        assertThatThrownBy(() -> PrivateKeys.load(file, new char[0])).hasMessage("bad passphrase or corrupted key");
        assertThatThrownBy(() -> PrivateKeys.load(file, null)).hasMessageContaining("passphrase is required");
    }

    @Test
    void aDamagedCiphertextFailsTheTagCheck() throws Exception {
        ObjectNode envelope = interopEnvelope("signing-key");
        byte[] sealed = Base64.getDecoder().decode(envelope.get("ciphertext").asText());
        sealed[sealed.length - 1] ^= 1;
        envelope.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
        assertThatThrownBy(() -> PrivateKeys.load(pem(envelope, "ENCRYPTED COSIGN PRIVATE KEY"), PASSPHRASE.toCharArray()))
                .isInstanceOf(KeyException.class).hasMessage("bad passphrase or corrupted key");
    }

    @ParameterizedTest
    @EnumSource(CosignKeyFile.PemType.class)
    void ourFilesHaveTheInteropLayoutAndDecryptAgain(CosignKeyFile.PemType type) throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        byte[] pem = CosignKeyFile.encrypt(pair.getPrivate(), PASSPHRASE.toCharArray(), type);
        String text = new String(pem, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("-----BEGIN " + type.label() + "-----\n").endsWith("-----END " + type.label() + "-----\n");
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length - 2; i++) {
            assertThat(lines[i]).hasSize(64); // Go's pem.Encode line length
        }

        JsonNode ours = envelopeOf(pem);
        JsonNode theirs = interopEnvelope("signing-key");
        assertThat(fieldPaths(ours)).isEqualTo(fieldPaths(theirs));
        assertThat(ours.get("kdf").get("name")).isEqualTo(theirs.get("kdf").get("name"));
        assertThat(ours.get("kdf").get("params")).isEqualTo(theirs.get("kdf").get("params"));
        assertThat(ours.get("cipher").get("name")).isEqualTo(theirs.get("cipher").get("name"));
        assertThat(Base64.getDecoder().decode(ours.get("kdf").get("salt").asText())).hasSize(32);
        assertThat(Base64.getDecoder().decode(ours.get("cipher").get("nonce").asText())).hasSize(24);
        assertThat(Base64.getDecoder().decode(ours.get("ciphertext").asText())).hasSize(154); // same 138-byte PKCS#8 as Go writes
        // compact JSON, fields in cosign's order, exactly like the file skopeo signs with
        String body = new String(Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "")), StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"")
                .contains("\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"").contains("\"},\"ciphertext\":\"");

        KeyPair again = PrivateKeys.load(pem, PASSPHRASE.toCharArray());
        assertThat(again.getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(CosignKeyFile.parse(pem).pemType()).isEqualTo(type);
    }

    @Test
    void saltAndNonceAreFreshEachTime() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        JsonNode first = envelopeOf(CosignKeyFile.encrypt(pair.getPrivate(), PASSPHRASE.toCharArray(), CosignKeyFile.PemType.SIGSTORE));
        JsonNode second = envelopeOf(CosignKeyFile.encrypt(pair.getPrivate(), PASSPHRASE.toCharArray(), CosignKeyFile.PemType.SIGSTORE));
        assertThat(first.get("kdf").get("salt")).isNotEqualTo(second.get("kdf").get("salt"));
        assertThat(first.get("cipher").get("nonce")).isNotEqualTo(second.get("cipher").get("nonce"));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P384", "RSA_2048", "ED25519"})
    void otherKeyTypesRoundTrip(KeyAlgorithm algorithm) throws Exception {
        KeyPair pair = KeyPairs.generate(algorithm);
        byte[] pem = CosignKeyFile.encrypt(pair.getPrivate(), new char[0], CosignKeyFile.PemType.SIGSTORE);
        KeyPair again = PrivateKeys.load(pem, new char[0]); // an empty passphrase is allowed, as in cosign
        assertThat(again.getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(PublicKeys.describe(again.getPublic())).isEqualTo(algorithm.description());
    }

    @ParameterizedTest
    @ValueSource(ints = {16384, 1 << 20, 1 << 30})
    void otherScryptCostsAreRejectedBeforeScryptRuns(int n) throws Exception {
        ObjectNode envelope = interopEnvelope("signing-key");
        ((ObjectNode) envelope.get("kdf").get("params")).put("N", n);
        byte[] pem = pem(envelope, "ENCRYPTED COSIGN PRIVATE KEY");
        assertThatThrownBy(() -> CosignKeyFile.parse(pem)) // parse never runs scrypt
                .isInstanceOf(KeyException.class).hasMessageContaining("scrypt parameters N=" + n).hasMessageContaining("only N=32768 r=8 p=1");
        // through the front door too, well within the time one scrypt at N=2^20 would take (and without its 1 GiB)
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofMillis(1500), () ->
                assertThatThrownBy(() -> PrivateKeys.load(pem, PASSPHRASE.toCharArray())).hasMessageContaining("scrypt parameters"));
    }

    @Test
    void otherEnvelopeDefectsAreNamed() throws Exception {
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("kdf").get("params")).put("r", 16), "r=16");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("kdf").get("params")).put("p", 2), "p=2");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("kdf").get("params")).put("N", "32768"), "scrypt parameters");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("kdf")).put("name", "argon2"), "unsupported KDF \"argon2\"");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("cipher")).put("name", "aes-gcm"), "unsupported cipher \"aes-gcm\"");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("kdf")).put("salt", Base64.getEncoder().encodeToString(new byte[16])), "salt is 16 bytes");
        assertEnvelopeRejected(e -> ((ObjectNode) e.get("cipher")).put("nonce", Base64.getEncoder().encodeToString(new byte[12])), "nonce is 12 bytes");
        assertEnvelopeRejected(e -> e.remove("ciphertext"), "'ciphertext' is missing");
        assertEnvelopeRejected(e -> e.put("ciphertext", "!!not base64!!"), "'ciphertext' is not valid base64");
        String notJson = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90IGpzb24=\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        assertThatThrownBy(() -> CosignKeyFile.parse(notJson.getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("not valid JSON");
    }

    private static void assertEnvelopeRejected(Consumer<ObjectNode> damage, String expected) throws Exception {
        ObjectNode envelope = interopEnvelope("skopeo-generated");
        damage.accept(envelope);
        assertThatThrownBy(() -> CosignKeyFile.parse(pem(envelope, "ENCRYPTED SIGSTORE PRIVATE KEY")))
                .isInstanceOf(KeyException.class).hasMessageContaining(expected);
    }

    private static ObjectNode interopEnvelope(String name) throws Exception {
        return (ObjectNode) envelopeOf(InteropFixtures.bytes("cosign/" + name + ".cosign.key"));
    }

    private static JsonNode envelopeOf(byte[] pem) throws Exception {
        String text = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "");
        return JSON.readTree(Base64.getMimeDecoder().decode(text));
    }

    private static byte[] pem(JsonNode envelope, String type) throws Exception {
        return Pem.encode(type, JSON.writeValueAsBytes(envelope));
    }

    /** Every field path in document order, e.g. "kdf", "kdf.name", "kdf.params", "kdf.params.N". */
    private static List<String> fieldPaths(JsonNode node) {
        List<String> paths = new ArrayList<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, List<String> paths) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            paths.add(prefix + name);
            collect(node.get(name), prefix + name + ".", paths);
        }
    }
}
