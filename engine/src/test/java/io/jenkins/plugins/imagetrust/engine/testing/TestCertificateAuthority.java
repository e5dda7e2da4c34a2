package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS between test peers (notary-server, notary-signer, our client):
 * ECDSA P-256 keys, certificates valid for a day, leaf certificates for 127.0.0.1 and localhost that serve as
 * both TLS server and client (notary's signer link is mutual TLS).
 */
public final class TestCertificateAuthority {
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    public TestCertificateAuthority(String name) {
        caKeys = newKeyPair();
        caCertificate = issue(new X500Principal("CN=" + name), caKeys, true, List.of());
    }

    public X509Certificate certificate() {
        return caCertificate;
    }

    /** The CA certificate as PEM text. */
    public String certificatePem() {
        return pem(caCertificate);
    }

    /** Writes {@code <name>.crt} and {@code <name>.key} (PKCS#8 PEM) for a leaf named {@code cn}; returns the paths. */
    public Path[] writeLeaf(Path directory, String name, String cn, List<String> dnsNames) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = issue(new X500Principal("CN=" + cn), keys, false, dnsNames);
        try {
            Path crt = directory.resolve(name + ".crt");
            Path key = directory.resolve(name + ".key");
            Files.writeString(crt, pem(certificate), StandardCharsets.US_ASCII);
            Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null).generate()), StandardCharsets.US_ASCII);
            return new Path[] {crt, key};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the CA certificate to {@code directory/<name>}. */
    public Path writeCertificate(Path directory, String name) {
        try {
            return Files.writeString(directory.resolve(name), certificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private X509Certificate issue(X500Principal subject, KeyPair subjectKeys, boolean ca, List<String> dnsNames) {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    ca ? subject : caCertificate.getSubjectX500Principal(), new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                GeneralName[] names = new GeneralName[dnsNames.size() + 1];
                names[0] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
                for (int i = 0; i < dnsNames.size(); i++) {
                    names[i + 1] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        return TestSigstore.newKeyPair(TestSigstore.KeyType.P256);
    }

    private static String pem(Object object) {
        return TestSigstore.pem(object);
    }
}
