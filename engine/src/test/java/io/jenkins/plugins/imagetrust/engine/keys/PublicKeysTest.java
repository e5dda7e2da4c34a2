package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public keys from PKIX PEM and certificates; descriptions; PEM output byte-identical to cosign's. */
class PublicKeysTest {
    @TempDir
    Path dir;

    @Test
    void parsesTheInteropPublicKeysAndWritesThemBackByteForByte() throws Exception {
        for (String name : new String[] {"cosign/signing-key.pub", "cosign/skopeo-generated.pub"}) {
            String pem = InteropFixtures.text(name);
            PublicKey key = PublicKeys.parse(pem);
            assertThat(PublicKeys.describe(key)).isEqualTo("ECDSA P-256");
            assertThat(PublicKeys.toPem(key)).isEqualTo(pem);
        }
    }

    @Test
    void toleratesWindowsLineEndsIndentationAndAByteOrderMark() throws Exception {
        String pem = InteropFixtures.text("cosign/signing-key.pub");
        PublicKey expected = PublicKeys.parse(pem);
        String pasted = "\uFEFF" + ("    " + pem.trim()).replace("\n", "\r\n    ") + "\r\n";
        assertThat(PublicKeys.parse(pasted).getEncoded()).isEqualTo(expected.getEncoded());
    }

    @Test
    void parsesCertificatesAndUsesTheirKey() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        openssl.run("req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-subj", "/CN=image-trust-test", "-days", "2");
        openssl.run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        PublicKey fromCert = PublicKeys.parse(new String(openssl.bytes("cert.pem"), StandardCharsets.US_ASCII));
        PublicKey fromPub = PublicKeys.parse(new String(openssl.bytes("pub.pem"), StandardCharsets.US_ASCII));
        assertThat(fromCert.getEncoded()).isEqualTo(fromPub.getEncoded());
        assertThat(KeyId.of(fromCert)).isEqualTo(KeyId.of(fromPub));
        assertThat(PublicKeys.describe(fromCert)).isEqualTo("RSA 3072");
    }

    @Test
    void describesEveryAcceptedType() throws Exception {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.ECDSA_P256, KeyAlgorithm.ECDSA_P384, KeyAlgorithm.RSA_2048, KeyAlgorithm.ED25519}) {
            PublicKey key = KeyPairs.generate(algorithm).getPublic();
            PublicKey again = PublicKeys.parse(PublicKeys.toPem(key));
            assertThat(again.getEncoded()).isEqualTo(key.getEncoded());
            assertThat(PublicKeys.describe(again)).isEqualTo(algorithm.description());
        }
    }

    @Test
    void rejectsWeakOrUnsupportedPublicKeys() {
        OpenSsl openssl = new OpenSsl(dir);
        openssl.run("genrsa", "-out", "rsa1024.pem", "1024");
        openssl.run("rsa", "-in", "rsa1024.pem", "-pubout", "-out", "rsa1024.pub");
        openssl.run("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.pem");
        openssl.run("ec", "-in", "k1.pem", "-pubout", "-out", "k1.pub");
        assertThatThrownBy(() -> PublicKeys.parse(new String(openssl.bytes("rsa1024.pub"), StandardCharsets.US_ASCII)))
                .isInstanceOf(KeyException.class).hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> PublicKeys.parse(new String(openssl.bytes("k1.pub"), StandardCharsets.US_ASCII)))
                .isInstanceOf(KeyException.class).hasMessageContaining("unsupported EC curve secp256k1");
    }

    @Test
    void rejectsPointsOffTheCurveAndDamagedPem() throws Exception {
        String pem = InteropFixtures.text("cosign/signing-key.pub");
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        der[der.length - 1] ^= 1; // the last byte of y: the point leaves the curve
        String offCurve = new String(Pem.encode("PUBLIC KEY", der), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PublicKeys.parse(offCurve)).isInstanceOf(KeyException.class).hasMessageContaining("malformed");
        SubjectPublicKeyInfo real = SubjectPublicKeyInfo.getInstance(java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "")));
        String atInfinity = new String(Pem.encode("PUBLIC KEY", new SubjectPublicKeyInfo(real.getAlgorithm(), new byte[] {0}).getEncoded()), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PublicKeys.parse(atInfinity)).isInstanceOf(KeyException.class).hasMessageContaining("point at infinity");
        RSAPublicKey weakExponent = new RSAPublicKey(((java.security.interfaces.RSAPublicKey) KeyPairs.generate(KeyAlgorithm.RSA_2048).getPublic()).getModulus(), BigInteger.ONE);
        String eOne = new String(Pem.encode("PUBLIC KEY", new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), weakExponent).getEncoded()), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PublicKeys.parse(eOne)).isInstanceOf(KeyException.class).hasMessageContaining("public exponent 1 is not acceptable");
        assertThatThrownBy(() -> PublicKeys.parse(pem.substring(0, 60))).isInstanceOf(KeyException.class).hasMessageContaining("no '-----END PUBLIC KEY-----' line");
        assertThatThrownBy(() -> PublicKeys.parse(InteropFixtures.text("cosign/signing-key.cosign.key")))
                .isInstanceOf(KeyException.class).hasMessageContaining("this is a private key");
        assertThatThrownBy(() -> PublicKeys.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(KeyException.class).hasMessageContaining("not a valid X.509 certificate");
    }
}
