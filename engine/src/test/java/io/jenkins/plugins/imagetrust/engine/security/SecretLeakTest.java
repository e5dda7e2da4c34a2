package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.keys.CosignKeyFile;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.testing.SoftHsmFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TokenRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets never leave the engine: a full sign → verify round trip through the real token-auth registry with Basic
 * credentials, signed by an encrypted cosign key (in this JVM) and by a PKCS#11 key behind a PIN (SoftHSM, in a forked
 * JVM), plus the failures a wrong passphrase, PIN and password cause. Every progress event, every exception's stack
 * trace and the {@code toString()} of every engine object is searched for each secret and for the private key in
 * every encoding (PEM body lines, base64 and hex of the DER, the private scalar).
 */
class SecretLeakTest {
    @RegisterExtension
    static final TokenRegistryFixture REGISTRY = new TokenRegistryFixture();

    private static final String PIN = "7Hq2-pin-x9";
    private static final String WRONG_PIN = "7Hq2-pin-x8";
    private static final String PASSPHRASE = "Tr0ub4dor&3-passphrase-ZQ";
    private static final String WRONG_PASSPHRASE = "Tr0ub4dor&3-passphrase-ZX";
    private static final String WRONG_PASSWORD = "wrong horse battery staple";

    @RegisterExtension
    static final SoftHsmFixture HSM = new SoftHsmFixture(PIN);

    /** The registry secrets, in the forms they travel in. */
    private static Map<String, String> registrySecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("registry password", TokenRegistryFixture.PASSWORD);
        secrets.put("wrong registry password", WRONG_PASSWORD);
        secrets.put("Basic header value", Base64.getEncoder().encodeToString(
                (TokenRegistryFixture.USER + ":" + TokenRegistryFixture.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return secrets;
    }

    private static void assertNoSecret(String text, Map<String, String> secrets) {
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertThat(secret.getValue()).as(secret.getKey()).isNotBlank();
            assertThat(text.contains(secret.getValue())).as("the captured output contains the " + secret.getKey()).isFalse();
        }
    }

    /** Every encoding of {@code pair}'s private key an accidental print could produce, and the key file's body lines. */
    private static Map<String, String> privateKeyForms(KeyPair pair, byte[] encryptedPem) {
        Map<String, String> forms = new LinkedHashMap<>();
        byte[] der = pair.getPrivate().getEncoded();
        String base64 = Base64.getEncoder().encodeToString(der);
        forms.put("base64 of the private key DER", base64);
        for (int i = 0; i + 64 <= base64.length(); i += 64) {
            forms.put("PEM line " + (i / 64) + " of the private key", base64.substring(i, i + 64));
        }
        forms.put("hex of the private key DER", HexFormat.of().formatHex(der));
        forms.put("private key DER bytes", new String(der, StandardCharsets.ISO_8859_1));
        forms.put("private scalar (hex)", ((ECPrivateKey) pair.getPrivate()).getS().toString(16));
        forms.put("private scalar (decimal)", ((ECPrivateKey) pair.getPrivate()).getS().toString());
        List<String> lines = new String(encryptedPem, StandardCharsets.US_ASCII).lines().filter(l -> !l.startsWith("-----")).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).length() >= 16) {
                forms.put("encrypted key file body line " + i, lines.get(i));
            }
        }
        return forms;
    }

    @Test
    void anEncryptedCosignKeyAndRegistryPasswordAppearNowhere() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        byte[] pem = CosignKeyFile.encrypt(pair.getPrivate(), PASSPHRASE.toCharArray());
        SecretExercise exercise = new SecretExercise();
        exercise.capture("keyFile", CosignKeyFile.parse(pem));
        try {
            PrivateKeys.loadSigner(pem, WRONG_PASSPHRASE.toCharArray()).close();
            throw new AssertionError("a wrong passphrase opened the key");
        } catch (KeyException expected) {
            exercise.capture(expected);
        }
        boolean trusted;
        try (Signer signer = PrivateKeys.loadSigner(pem, PASSPHRASE.toCharArray())) {
            trusted = exercise.signAndVerify(REGISTRY.reference("secrets/cosign-key:1"), TokenRegistryFixture.USER,
                    TokenRegistryFixture.PASSWORD.toCharArray(), WRONG_PASSWORD.toCharArray(), signer);
        }
        String text = exercise.text();
        assertThat(trusted).as(text).isTrue();
        // the capture is real: it holds the events and the failures the wrong secrets caused
        assertThat(exercise.eventCount()).isGreaterThan(10);
        assertThat(text).contains("bad passphrase or corrupted key").contains("RegistryUnauthorizedException").contains("verified ")
                .contains("RegistryCredentials[BASIC, user=signer");
        Map<String, String> secrets = new LinkedHashMap<>(registrySecrets());
        secrets.put("passphrase", PASSPHRASE);
        secrets.put("wrong passphrase", WRONG_PASSPHRASE);
        secrets.putAll(privateKeyForms(pair, pem));
        assertNoSecret(text, secrets);
    }

    @Test
    void aPkcs11PinAndRegistryPasswordAppearNowhere() {
        HSM.generateKeyPair("EC:prime256v1", "0a", "leak-test", "leak-test");
        String stdin = PIN + "\n" + WRONG_PIN + "\n" + TokenRegistryFixture.PASSWORD + "\n" + WRONG_PASSWORD + "\n";
        SoftHsmFixture.JavaRun run = HSM.runJava(SecretLeakProbe.class, List.of(HSM.module().toString(), String.valueOf(HSM.slotId()),
                "leak-test", REGISTRY.reference("secrets/pkcs11:1").toString(), TokenRegistryFixture.USER), stdin);
        String output = run.output();
        assertThat(run.exitCode()).as(output).isZero();
        assertThat(output).contains("TRUSTED true").contains("CKR_PIN_INCORRECT").contains("RegistryUnauthorizedException")
                .doesNotContain("WRONG PIN ACCEPTED");
        int events = Integer.parseInt(output.substring(output.indexOf("EVENTS ") + 7).strip());
        assertThat(events).isGreaterThan(10);
        Map<String, String> secrets = new LinkedHashMap<>(registrySecrets());
        secrets.put("PIN", PIN);
        secrets.put("wrong PIN", WRONG_PIN);
        assertNoSecret(output, secrets);
    }
}
