package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.testing.SoftHsmFixture;
import io.jenkins.plugins.imagetrust.engine.testing.SoftHsmFixture.JavaRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys generated inside a real SoftHSM2 token sign through SunPKCS11 in a forked JVM (SoftHSM reads SOFTHSM2_CONF
 * from the process environment); the signatures verify with our {@link SignatureVerifier} in this JVM.
 */
class Pkcs11SignerTest {
    private static final String PIN = "492817";
    private static final byte[] MESSAGE = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:0\"}}}".getBytes(StandardCharsets.UTF_8);
    private static final Pattern SIGNATURE = Pattern.compile("SIGNATURE ([0-9a-f]+)");

    @RegisterExtension
    static final SoftHsmFixture HSM = new SoftHsmFixture(PIN);
    static byte[] ecPublic;
    static byte[] rsaPublic;

    @BeforeAll
    static void generateKeysInTheToken() {
        ecPublic = HSM.generateKeyPair("EC:prime256v1", "01", "release-ec", "release-ec");
        rsaPublic = HSM.generateKeyPair("rsa:2048", "02", "release-rsa", null); // no certificate label: found by id
        HSM.generateKeyPairWithoutCertificate("EC:prime256v1", "03", "no-certificate");
    }

    @Test
    void ecP256SignsInTheTokenAndVerifiesHere() throws Exception {
        JavaRun run = probe("release-ec", "-", "-", PIN);
        assertThat(run.output()).contains("OPENED release-ec ECDSA_P-256 ECDSA_SHA256").contains("CLOSED ").doesNotContain("SIGNED AFTER CLOSE");
        PublicKey key = tokenKey(ecPublic);
        byte[] signature = signature(run);
        assertThat(EcdsaSignatures.derToRaw(signature, 32)).hasSize(64); // DER, as cosign needs
        assertThat(SignatureVerifier.verify(key, SignatureScheme.ECDSA_SHA256, MESSAGE, signature)).isTrue();
        assertThat(SignatureVerifier.verify(key, SignatureScheme.ECDSA_SHA256, "other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(reportedPublicKey().getEncoded()).isEqualTo(ecPublic);
    }

    @Test
    void rsa2048SignsWithPkcs1AndPssFoundByItsId() throws Exception {
        PublicKey key = tokenKey(rsaPublic);
        JavaRun pkcs1 = probe("-", "02", "-", PIN);
        assertThat(pkcs1.output()).contains("OPENED 0x02 RSA_2048 RSA_PKCS1_SHA256");
        assertThat(SignatureVerifier.verify(key, SignatureScheme.RSA_PKCS1_SHA256, MESSAGE, signature(pkcs1))).isTrue();
        JavaRun pss = probe("-", "02", "RSA_PSS_SHA256", PIN);
        assertThat(pss.output()).contains("RSA_PSS_SHA256");
        assertThat(SignatureVerifier.verify(key, SignatureScheme.RSA_PSS_SHA256, MESSAGE, signature(pss))).isTrue();
        assertThat(SignatureVerifier.verify(key, SignatureScheme.RSA_PKCS1_SHA256, MESSAGE, signature(pss))).isFalse();
    }

    @Test
    void aWrongPinIsRejectedWithoutShowingIt() throws Exception {
        String wrongPin = "771203";
        JavaRun run = probe("release-ec", "-", "-", wrongPin);
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output()).contains("KEY_EXCEPTION the PKCS#11 token rejected the PIN (CKR_PIN_INCORRECT)")
                .doesNotContain(wrongPin).doesNotContain(PIN);
    }

    @Test
    void aSecondSignerInTheSameProcessStillNeedsTheRightPin() {
        // PKCS#11 login state belongs to the process: SunPKCS11 skips C_Login when the token is already logged in
        String wrongPin = "000111";
        JavaRun run = twoSigners(PIN, wrongPin);
        assertThat(run.output()).contains("FIRST OPENED")
                .contains("SECOND KEY_EXCEPTION the PKCS#11 token rejected the PIN")
                .contains("FIRST STILL SIGNS true")
                .doesNotContain(wrongPin).doesNotContain(PIN);
    }

    @Test
    void closingOneSignerDoesNotLogOutAnother() {
        JavaRun run = twoSigners(PIN, PIN);
        assertThat(run.output()).contains("SECOND OPENED").contains("SECOND SIGNS AFTER FIRST CLOSED true").contains("SECOND CLOSED");
    }

    @Test
    void anUnknownKeyNamesTheKeysThatExist() throws Exception {
        JavaRun run = probe("no-such-key", "-", "-", PIN);
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output()).contains("KEY_EXCEPTION no private key labelled 'no-such-key'")
                .contains("release-ec").contains("0x02").doesNotContain(PIN);
        JavaRun ambiguous = probe("-", "-", "-", PIN);
        assertThat(ambiguous.output()).contains("KEY_EXCEPTION 2 private keys in slot " + HSM.slotId() + ": give the key's label or id");
    }

    @Test
    void aSchemeThatDoesNotFitTheTokenKeyIsRefused() throws Exception {
        JavaRun run = probe("release-ec", "-", "RSA_PSS_SHA256", PIN);
        assertThat(run.output()).contains("KEY_EXCEPTION the scheme RSA_PSS_SHA256 cannot be used with the PKCS#11 key 'release-ec' (ECDSA P-256)");
    }

    @Test
    void aKeyWithoutCertificateIsInvisibleAndTheErrorSaysWhy() throws Exception {
        JavaRun run = probe("no-certificate", "-", "-", PIN);
        assertThat(run.output()).contains("KEY_EXCEPTION no private key labelled 'no-certificate'")
                .contains("SunPKCS11 lists a private key only when a certificate with the same CKA_ID is on the token");
    }

    @Test
    void aSlotThatDoesNotExistIsNamed() throws Exception {
        Path message = HSM.dir().resolve("message");
        Files.write(message, MESSAGE);
        JavaRun run = HSM.runJava(Pkcs11SignProbe.class, List.of(HSM.module().toString(), "424242", "release-ec", "-", "-",
                message.toString(), HSM.dir().resolve("unused.pub").toString()), PIN + "\n");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output()).contains("KEY_EXCEPTION could not open the PKCS#11 token").contains("slot 424242")
                .contains("CKR_SLOT_ID_INVALID").doesNotContain(PIN);
    }

    @Test
    void badConfigurationIsCaughtBeforeLoadingAnything() throws Exception {
        assertThatThrownBy(() -> Pkcs11Config.builder(Path.of("relative/libsofthsm2.so")).build()).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> Pkcs11Config.builder(Path.of("/nonexistent/libpkcs11.so")).build())
                .hasMessageContaining("/nonexistent/libpkcs11.so does not exist");
        assertThatThrownBy(() -> Pkcs11Config.builder(HSM.module()).slotId(1).slotListIndex(0).build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> Pkcs11Config.builder(HSM.module()).keyId("xyz")).hasMessageContaining("hex digits");
        Pkcs11Config config = Pkcs11Config.builder(HSM.module()).slotId(7).keyId("0A").build();
        assertThat(config.keyId()).contains("0a");
        assertThat(config.toString()).contains("slot 7", "key id 0a");
    }

    private JavaRun probe(String label, String id, String scheme, String pin) throws Exception {
        Path message = HSM.dir().resolve("message");
        Files.write(message, MESSAGE);
        return HSM.runJava(Pkcs11SignProbe.class, List.of(HSM.module().toString(), Long.toString(HSM.slotId()), label, id, scheme,
                message.toString(), HSM.dir().resolve("reported.pub").toString()), pin + "\n");
    }

    private JavaRun twoSigners(String firstPin, String secondPin) {
        return HSM.runJava(Pkcs11TwoSignersProbe.class, List.of(HSM.module().toString(), Long.toString(HSM.slotId()), "release-ec"),
                firstPin + "\n" + secondPin + "\n");
    }

    private static PublicKey reportedPublicKey() throws Exception {
        return PublicKeys.parse(Files.readString(HSM.dir().resolve("reported.pub")));
    }

    private static PublicKey tokenKey(byte[] spki) throws KeyException {
        return KeyMaterial.publicKey(SubjectPublicKeyInfo.getInstance(spki));
    }

    private static byte[] signature(JavaRun run) {
        Matcher matcher = SIGNATURE.matcher(run.output());
        assertThat(matcher.find()).as("the forked JVM signed:\n" + run.output()).isTrue();
        return HexFormat.of().parseHex(matcher.group(1));
    }
}
