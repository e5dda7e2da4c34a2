package io.jenkins.plugins.imagetrust.engine.keys;

import static io.jenkins.plugins.imagetrust.engine.keys.SecretAssertions.assertNoSecretIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every private key format, made by the real openssl binary, parses; bad input fails with a clear message. */
class PrivateKeysTest {
    private static final String PASSPHRASE = "Tr0ub4dor&3-never-print-me";
    private static final char[] WRONG = "not-the-passphrase".toCharArray();

    @TempDir
    static Path dir;
    static OpenSsl openssl;

    @BeforeAll
    static void makeKeys() {
        openssl = new OpenSsl(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec256.p8.pem");
        openssl.run("pkey", "-in", "ec256.p8.pem", "-pubout", "-out", "ec256.pub.pem");
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec384.p8.pem");
        openssl.run("pkey", "-in", "ec384.p8.pem", "-pubout", "-out", "ec384.pub.pem");
        openssl.run("genrsa", "-traditional", "-out", "rsa2048.pkcs1.pem", "2048");
        openssl.run("rsa", "-in", "rsa2048.pkcs1.pem", "-pubout", "-out", "rsa2048.pub.pem");
        openssl.run("genpkey", "-algorithm", "ed25519", "-out", "ed25519.p8.pem");
        openssl.run("pkey", "-in", "ed25519.p8.pem", "-pubout", "-out", "ed25519.pub.pem");
    }

    private static KeyPair load(String file, String passphrase) throws KeyException {
        return PrivateKeys.load(openssl.bytes(file), passphrase == null ? null : passphrase.toCharArray());
    }

    private static PublicKey opensslPublic(String file) throws KeyException {
        return PublicKeys.parse(new String(openssl.bytes(file), StandardCharsets.US_ASCII));
    }

    private static void assertPair(KeyPair pair, String publicFile, String description) throws Exception {
        assertThat(pair.getPublic().getEncoded()).isEqualTo(opensslPublic(publicFile).getEncoded());
        assertThat(PublicKeys.describe(pair.getPublic())).isEqualTo(description);
        byte[] message = "signed bytes".getBytes(StandardCharsets.UTF_8);
        try (Signer signer = new InMemorySigner(pair)) {
            assertThat(SignatureVerifier.verify(pair.getPublic(), signer.scheme(), message, signer.sign(message))).isTrue();
        }
    }

    @Test
    void readsPkcs8EcP256AndP384() throws Exception {
        assertPair(load("ec256.p8.pem", null), "ec256.pub.pem", "ECDSA P-256");
        assertPair(load("ec384.p8.pem", null), "ec384.pub.pem", "ECDSA P-384");
    }

    @Test
    void readsSec1WithAndWithoutPublicPoint() throws Exception {
        openssl.run("ec", "-in", "ec256.p8.pem", "-out", "ec256.sec1.pem");
        openssl.run("ec", "-in", "ec256.p8.pem", "-no_public", "-out", "ec256.sec1-nopub.pem");
        assertThat(new String(openssl.bytes("ec256.sec1.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertPair(load("ec256.sec1.pem", null), "ec256.pub.pem", "ECDSA P-256");
        assertPair(load("ec256.sec1-nopub.pem", null), "ec256.pub.pem", "ECDSA P-256");
    }

    @Test
    void readsLegacyOpenSslEncryptedSec1AndPkcs1() throws Exception {
        openssl.run("ec", "-in", "ec384.p8.pem", "-aes256", "-passout", "pass:" + PASSPHRASE, "-out", "ec384.sec1-enc.pem");
        openssl.run("rsa", "-in", "rsa2048.pkcs1.pem", "-traditional", "-aes256", "-passout", "pass:" + PASSPHRASE, "-out", "rsa2048.pkcs1-enc.pem");
        assertThat(new String(openssl.bytes("ec384.sec1-enc.pem"), StandardCharsets.US_ASCII)).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(new String(openssl.bytes("rsa2048.pkcs1-enc.pem"), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");
        assertPair(load("ec384.sec1-enc.pem", PASSPHRASE), "ec384.pub.pem", "ECDSA P-384");
        assertPair(load("rsa2048.pkcs1-enc.pem", PASSPHRASE), "rsa2048.pub.pem", "RSA 2048");
        assertWrongPassphrase("ec384.sec1-enc.pem");
        assertWrongPassphrase("rsa2048.pkcs1-enc.pem");
    }

    @Test
    void readsEncryptedPkcs8WithPbkdf2AndScrypt() throws Exception {
        openssl.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "ec256.pbkdf2.pem");
        openssl.run("pkcs8", "-topk8", "-scrypt", "-in", "ed25519.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "ed25519.scrypt.pem");
        assertThat(new String(openssl.bytes("ec256.pbkdf2.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertPair(load("ec256.pbkdf2.pem", PASSPHRASE), "ec256.pub.pem", "ECDSA P-256");
        assertPair(load("ed25519.scrypt.pem", PASSPHRASE), "ed25519.pub.pem", "Ed25519");
        assertWrongPassphrase("ec256.pbkdf2.pem");
        assertWrongPassphrase("ed25519.scrypt.pem");
    }

    @Test
    void readsRsaPkcs1AndPkcs8() throws Exception {
        openssl.run("pkcs8", "-topk8", "-nocrypt", "-in", "rsa2048.pkcs1.pem", "-out", "rsa2048.p8.pem");
        assertPair(load("rsa2048.pkcs1.pem", null), "rsa2048.pub.pem", "RSA 2048");
        assertPair(load("rsa2048.p8.pem", null), "rsa2048.pub.pem", "RSA 2048");
    }

    @Test
    void readsEd25519Pkcs8() throws Exception {
        assertPair(load("ed25519.p8.pem", null), "ed25519.pub.pem", "Ed25519");
    }

    @Test
    void loadSignerUsesTheCosignDefaultScheme() throws Exception {
        try (Signer signer = PrivateKeys.loadSigner(openssl.bytes("rsa2048.pkcs1.pem"), null)) {
            assertThat(signer.scheme()).isEqualTo(SignatureScheme.RSA_PKCS1_SHA256);
            assertThat(signer.keyId()).isEqualTo(KeyId.of(opensslPublic("rsa2048.pub.pem")));
        }
    }

    @Test
    void anEncryptedKeyWithoutPassphraseSaysOneIsNeeded() {
        openssl.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "needs-pass.pem");
        assertThatThrownBy(() -> load("needs-pass.pem", null))
                .isInstanceOf(KeyException.class).hasMessageContaining("passphrase is required");
    }

    @Test
    void tellsWhetherAPassphraseIsNeeded() throws Exception {
        openssl.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "np-pkcs8.pem");
        openssl.run("ec", "-in", "ec256.p8.pem", "-aes256", "-passout", "pass:" + PASSPHRASE, "-out", "np-sec1.pem");
        assertThat(PrivateKeys.needsPassphrase(openssl.bytes("ec256.p8.pem"))).isFalse();
        assertThat(PrivateKeys.needsPassphrase(openssl.bytes("rsa2048.pkcs1.pem"))).isFalse();
        assertThat(PrivateKeys.needsPassphrase(openssl.bytes("np-pkcs8.pem"))).isTrue();
        assertThat(PrivateKeys.needsPassphrase(openssl.bytes("np-sec1.pem"))).isTrue();
        assertThat(PrivateKeys.needsPassphrase(io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures.bytes("cosign/signing-key.cosign.key"))).isTrue();
    }

    @Test
    void rejectsSmallRsaKeys() {
        openssl.run("genrsa", "-traditional", "-out", "rsa1024.pem", "1024");
        assertThatThrownBy(() -> load("rsa1024.pem", null))
                .isInstanceOf(KeyException.class).hasMessageContaining("1024 bits").hasMessageContaining("at least 2048");
    }

    @Test
    void rejectsUnsupportedCurvesAndExplicitParameters() {
        openssl.run("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.pem");
        openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "explicit.pem");
        assertThatThrownBy(() -> load("k1.pem", null))
                .isInstanceOf(KeyException.class).hasMessageContaining("unsupported EC curve secp256k1");
        assertThatThrownBy(() -> load("explicit.pem", null))
                .isInstanceOf(KeyException.class).hasMessageContaining("explicit curve parameters");
    }

    @Test
    void rejectsUnsupportedAlgorithms() {
        openssl.run("genpkey", "-algorithm", "ed448", "-out", "ed448.pem");
        assertThatThrownBy(() -> load("ed448.pem", null))
                .isInstanceOf(KeyException.class).hasMessageContaining("unsupported private key algorithm Ed448");
    }

    @Test
    void malformedPemGivesAClearError() throws Exception {
        String good = new String(openssl.bytes("ec256.p8.pem"), StandardCharsets.US_ASCII);
        String[] lines = good.split("\n");
        assertThatThrownBy(() -> PrivateKeys.load("just some text\n".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("no PEM block found");
        assertThatThrownBy(() -> PrivateKeys.load(new byte[0], null))
                .isInstanceOf(KeyException.class).hasMessageContaining("empty");
        // the END line is missing: a truncated file
        String noEnd = good.substring(0, good.indexOf("-----END"));
        assertThatThrownBy(() -> PrivateKeys.load(noEnd.getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("no '-----END PRIVATE KEY-----' line");
        // base64 cut in the middle of a quantum
        String cutBase64 = lines[0] + "\n" + lines[1].substring(0, 61) + "\n" + lines[lines.length - 1] + "\n";
        assertThatThrownBy(() -> PrivateKeys.load(cutBase64.getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("not valid base64");
        // base64 that decodes, but to half a key
        String cutStructure = lines[0] + "\n" + lines[1] + "\n" + lines[lines.length - 1] + "\n";
        assertThatThrownBy(() -> PrivateKeys.load(cutStructure.getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("does not hold a valid PKCS#8 private key structure");
        String mismatched = good.replace("-----END PRIVATE KEY-----", "-----END EC PRIVATE KEY-----");
        assertThatThrownBy(() -> PrivateKeys.load(mismatched.getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("ends with '-----END EC PRIVATE KEY-----'");
    }

    @Test
    void unknownPemTypesAreNamed() {
        String openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        assertThatThrownBy(() -> PrivateKeys.load(openssh.getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(KeyException.class)
                .hasMessageContaining("'OPENSSH PRIVATE KEY' is not a private key type")
                .hasMessageContaining("ENCRYPTED COSIGN PRIVATE KEY");
        assertThatThrownBy(() -> PrivateKeys.load(openssl.bytes("ec256.pub.pem"), null))
                .isInstanceOf(KeyException.class).hasMessageContaining("'PUBLIC KEY'");
    }

    @Test
    void refusesOversizedInput() {
        byte[] huge = new byte[Pem.MAX_PEM_BYTES + 1];
        assertThatThrownBy(() -> PrivateKeys.load(huge, null))
                .isInstanceOf(KeyException.class).hasMessageContaining("more than the " + Pem.MAX_PEM_BYTES + " bytes");
    }

    @Test
    void callerPassphraseIsLeftIntactAndKeyFilesMayHoldOtherBlocks() throws Exception {
        openssl.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "intact.pem");
        byte[] bundle = (new String(openssl.bytes("ec256.pub.pem"), StandardCharsets.US_ASCII)
                + new String(openssl.bytes("intact.pem"), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        char[] passphrase = PASSPHRASE.toCharArray();
        PrivateKeys.load(bundle, passphrase);
        assertThat(new String(passphrase)).isEqualTo(PASSPHRASE);
    }

    @Test
    void refusesOldPbeSchemesAndExpensiveKdfParametersBeforeDerivingAnything() throws Exception {
        openssl.run("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "pbes1.pem");
        assertThatThrownBy(() -> load("pbes1.pem", PASSPHRASE))
                .isInstanceOf(KeyException.class).hasMessageContaining("only PBES2 is accepted");

        openssl.run("pkcs8", "-topk8", "-scrypt", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "cheap-scrypt.pem");
        openssl.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec256.p8.pem", "-passout", "pass:" + PASSPHRASE, "-out", "cheap-pbkdf2.pem");
        byte[] costlyScrypt = withKdf(openssl.bytes("cheap-scrypt.pem"), kdf -> new KeyDerivationFunc(MiscObjectIdentifiers.id_scrypt,
                new ScryptParams(ScryptParams.getInstance(kdf.getParameters()).getSalt(), 1 << 22, 8, 1, 32)));
        byte[] costlyPbkdf2 = withKdf(openssl.bytes("cheap-pbkdf2.pem"), kdf -> {
            PBKDF2Params params = PBKDF2Params.getInstance(kdf.getParameters());
            return new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                    new PBKDF2Params(params.getSalt(), Integer.MAX_VALUE, params.getKeyLength() == null ? 32 : params.getKeyLength().intValue(), params.getPrf()));
        });
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThatThrownBy(() -> PrivateKeys.load(costlyScrypt, PASSPHRASE.toCharArray()))
                    .isInstanceOf(KeyException.class).hasMessageContaining("scrypt parameters N=4194304 r=8 p=1");
            assertThatThrownBy(() -> PrivateKeys.load(costlyPbkdf2, PASSPHRASE.toCharArray()))
                    .isInstanceOf(KeyException.class).hasMessageContaining(Integer.MAX_VALUE + " PBKDF2 iterations");
        });
    }

    /** The same encrypted PKCS#8 file with its PBES2 key derivation replaced. */
    private static byte[] withKdf(byte[] pem, java.util.function.UnaryOperator<KeyDerivationFunc> change) throws Exception {
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(Pem.parse(pem).get(0).der());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBES2Parameters changed = new PBES2Parameters(change.apply(pbes2.getKeyDerivationFunc()), pbes2.getEncryptionScheme());
        EncryptedPrivateKeyInfo rebuilt = new EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, changed), info.getEncryptedData());
        return Pem.encode("ENCRYPTED PRIVATE KEY", rebuilt.getEncoded());
    }

    private static void assertWrongPassphrase(String file) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> PrivateKeys.load(openssl.bytes(file), WRONG));
        assertThat(thrown).isInstanceOf(KeyException.class).hasMessage("bad passphrase or corrupted key");
        assertNoSecretIn(thrown, PASSPHRASE, new String(WRONG));
    }
}
