package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * The self-signed certificate a Notary root key is published as ({@code ecdsa-x509}), made like the notary
 * client makes it: {@code CN=<gun>} as subject and issuer, ECDSA with SHA-256, valid 10 years (3650 days),
 * keyUsage digitalSignature + keyEncipherment (critical), extendedKeyUsage codeSigning, basicConstraints
 * CA:FALSE (critical). The key signs through {@link Signer}, so it may live in an HSM.
 */
public final class NotaryRootCertificate {
    /** notary's root expiry: 10 years of 365 days. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    private NotaryRootCertificate() {
    }

    public static X509Certificate create(Signer rootSigner, String gun, Instant notBefore) throws KeyException {
        if (rootSigner.scheme() != SignatureScheme.ECDSA_SHA256) {
            throw new KeyException("a Notary root key must be an ECDSA key (ecdsa-x509); this key signs with " + rootSigner.scheme());
        }
        X500Principal name = new X500Principal("CN=" + gun);
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notBefore.plus(VALIDITY)), name, rootSigner.publicKey());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new JcaX509CertificateConverter().getCertificate(builder.build(new SignerContentSigner(rootSigner)));
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyException("cannot build the root certificate for " + gun + ": " + e.getMessage(), e);
        } catch (RuntimeOperatorException e) {
            throw e.getCause() instanceof KeyException key ? key : new KeyException("signing the root certificate failed", e);
        }
    }

    /** Lets BouncyCastle sign the certificate with a {@link Signer} (JDK ECDSA output is already DER, as X.509 wants). */
    private static final class SignerContentSigner implements ContentSigner {
        private final Signer signer;
        private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();

        SignerContentSigner(Signer signer) {
            this.signer = signer;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
        }

        @Override
        public OutputStream getOutputStream() {
            return toBeSigned;
        }

        @Override
        public byte[] getSignature() {
            try {
                return signer.sign(toBeSigned.toByteArray());
            } catch (KeyException e) {
                throw new RuntimeOperatorException("signing the root certificate failed", e);
            }
        }
    }
}
