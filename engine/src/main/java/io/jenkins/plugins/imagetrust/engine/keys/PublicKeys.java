package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Public keys as users paste them: PKIX {@code PUBLIC KEY} PEM (cosign's {@code .pub}) or an X.509
 * {@code CERTIFICATE} (its subject key is used; the certificate itself is not validated). Same algorithm rules as
 * private keys: ECDSA P-256/P-384, RSA of at least 2048 bits, Ed25519.
 */
public final class PublicKeys {
    /** The largest PEM text a key is read from: a file holding more is refused before it is parsed. */
    public static final int MAX_PEM_BYTES = Pem.MAX_PEM_BYTES;

    private static final String PUBLIC_KEY = "PUBLIC KEY";
    private static final String CERTIFICATE = "CERTIFICATE";

    private PublicKeys() {
    }

    /** The first {@code PUBLIC KEY} or {@code CERTIFICATE} block in {@code pem}. */
    public static PublicKey parse(String pem) throws KeyException {
        if (pem == null) {
            throw new KeyException("no public key given");
        }
        List<Pem.Block> blocks = Pem.parse(pem.getBytes(StandardCharsets.UTF_8));
        for (Pem.Block block : blocks) {
            if (PUBLIC_KEY.equals(block.type())) {
                SubjectPublicKeyInfo spki;
                try {
                    spki = SubjectPublicKeyInfo.getInstance(block.der());
                } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
                    // BouncyCastle versions differ in which of these a damaged structure raises (1.84: IllegalStateException)
                    throw new KeyException("PEM block 'PUBLIC KEY' does not hold a valid SubjectPublicKeyInfo (truncated or damaged)");
                }
                return KeyMaterial.publicKey(spki);
            }
            if (CERTIFICATE.equals(block.type())) {
                return fromCertificate(block.der());
            }
        }
        String found = blocks.stream().map(b -> "'" + b.type() + "'").collect(Collectors.joining(", "));
        throw new KeyException("no public key found: PEM type " + found + " is neither 'PUBLIC KEY' nor 'CERTIFICATE'"
                + (found.contains("PRIVATE") ? " (this is a private key: give its public key instead)" : ""));
    }

    /** "ECDSA P-256", "ECDSA P-384", "RSA 3072", "Ed25519" (for UI validation and log lines). */
    public static String describe(PublicKey key) {
        return KeyMaterial.describe(key);
    }

    /** PKIX {@code PUBLIC KEY} PEM with 64-character lines and a final newline, as cosign and OpenSSL write it. */
    public static String toPem(PublicKey key) {
        return new String(Pem.encode(PUBLIC_KEY, key.getEncoded()), StandardCharsets.US_ASCII);
    }

    private static PublicKey fromCertificate(byte[] der) throws KeyException {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new KeyException("PEM block 'CERTIFICATE' is not a valid X.509 certificate");
        }
        return KeyMaterial.check(certificate.getPublicKey());
    }
}
