package io.jenkins.plugins.imagetrust.engine.notary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * How a verifier anchors trust in a repository's first root (later roots must be signed by the previous one).
 * There is no default: trust on first use must be asked for by name.
 */
public final class RootPin {
    private final byte[] rootFile;
    private final PublicKey rootKey;
    private final boolean trustOnFirstUse;

    private RootPin(byte[] rootFile, PublicKey rootKey, boolean trustOnFirstUse) {
        this.rootFile = rootFile;
        this.rootKey = rootKey;
        this.trustOnFirstUse = trustOnFirstUse;
    }

    /** Trust this exact {@code root.json} (obtained out of band) as the repository's first root. */
    public static RootPin rootFile(byte[] rootJson) {
        return new RootPin(rootJson.clone(), null, false);
    }

    /**
     * Trust a root only if its root role lists this key and the key signed it: a PEM certificate (as in an
     * {@code ecdsa-x509} root key) or a PEM public key. Checked on every verification.
     */
    public static RootPin rootKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof org.bouncycastle.cert.X509CertificateHolder holder) {
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
                return new RootPin(null, certificate.getPublicKey(), false);
            }
            if (object instanceof SubjectPublicKeyInfo info) {
                return new RootPin(null, new JcaPEMKeyConverter().getPublicKey(info), false);
            }
            throw new IllegalArgumentException("the root pin must be a PEM CERTIFICATE or PUBLIC KEY, not "
                    + (object == null ? "empty" : object.getClass().getSimpleName()));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("the root pin is not readable PEM: " + e.getMessage(), e);
        }
    }

    /**
     * Trust only a root already in the verifier's {@code TrustCache} (from an earlier run); a repository never seen
     * before is refused.
     */
    public static RootPin cachedOnly() {
        return new RootPin(null, null, false);
    }

    /** Trust whatever root the server offers the first time, as docker does; later roots must chain from it. */
    public static RootPin trustOnFirstUse() {
        return new RootPin(null, null, true);
    }

    Optional<byte[]> rootFile() {
        return Optional.ofNullable(rootFile).map(byte[]::clone);
    }

    Optional<PublicKey> rootKey() {
        return Optional.ofNullable(rootKey);
    }

    boolean trustOnFirstUseAllowed() {
        return trustOnFirstUse;
    }

    @Override
    public String toString() {
        return rootFile != null ? "RootPin[root.json, " + rootFile.length + " bytes]"
                : rootKey != null ? "RootPin[" + rootKey.getAlgorithm() + " root key]"
                : trustOnFirstUse ? "RootPin[trust on first use]" : "RootPin[cached root only]";
    }
}
