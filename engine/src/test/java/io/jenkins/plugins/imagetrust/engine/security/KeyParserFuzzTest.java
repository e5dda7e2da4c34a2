package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.imagetrust.engine.keys.CosignKeyFile;
import io.jenkins.plugins.imagetrust.engine.keys.EcdsaSignatures;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import java.security.KeyPair;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * Key material from files and forms is untrusted input too: the PEM / PKCS#8 / SEC1 / PKCS#1 / cosign-envelope
 * readers, the public key reader and the strict ECDSA DER converter either return a value or throw
 * {@link KeyException} — never another exception, never a hang. Encrypted inputs are parsed up to the envelope only
 * (a key derivation per input would make fuzzing pointless; the KDF limits have their own tests). Seeds under
 * {@code src/test/resources/.../security/KeyParserFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (docs/security.md).
 */
class KeyParserFuzzTest {

    @FuzzTest
    void privateKeyFiles(byte[] pem) {
        try {
            if (PrivateKeys.needsPassphrase(pem)) {
                try {
                    CosignKeyFile.parse(pem);
                } catch (KeyException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
                return;
            }
            KeyPair pair = PrivateKeys.load(pem, new char[0]);
            assertThat(pair.getPublic()).isNotNull();
            assertThat(pair.getPrivate()).isNotNull();
        } catch (KeyException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** The first finding (seed {@code privateKeyFiles/sec1-implicit-tag}): the curve field implicitly tagged. */
    @Test
    void aSec1KeyWithAnImplicitlyTaggedCurveIsAKeyException() throws Exception {
        byte[] seed;
        try (var in = KeyParserFuzzTest.class.getResourceAsStream("KeyParserFuzzTestInputs/privateKeyFiles/sec1-implicit-tag")) {
            seed = in.readAllBytes();
        }
        assertThatThrownBy(() -> PrivateKeys.load(seed, new char[0])).isInstanceOf(KeyException.class)
                .hasMessage("PEM block 'EC PRIVATE KEY' does not hold a valid SEC1 EC private key structure (truncated or damaged)");
    }

    @FuzzTest
    void publicKeys(FuzzedDataProvider data) {
        String pem = data.consumeRemainingAsString();
        try {
            PublicKey key = PublicKeys.parse(pem);
            // what we accept we can describe and write back, and the written form reads back to the same key
            assertThat(PublicKeys.describe(key)).isNotBlank();
            assertThat(PublicKeys.parse(PublicKeys.toPem(key))).isEqualTo(key);
        } catch (KeyException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest
    void ecdsaSignatures(FuzzedDataProvider data) {
        int scalarBytes = data.pickValue(new int[] {32, 48});
        byte[] der = data.consumeRemainingAsBytes();
        byte[] raw;
        try {
            raw = EcdsaSignatures.derToRaw(der, scalarBytes);
        } catch (KeyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        // strict DER: one encoding per signature, so converting back gives the very same bytes
        assertThat(raw).hasSize(2 * scalarBytes);
        try {
            assertThat(EcdsaSignatures.rawToDer(raw)).isEqualTo(der);
        } catch (KeyException e) {
            throw new AssertionError("accepted DER whose values cannot be re-encoded: " + e.getMessage(), e);
        }
    }
}
