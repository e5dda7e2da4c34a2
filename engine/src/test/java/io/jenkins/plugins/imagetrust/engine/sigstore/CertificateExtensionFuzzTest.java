package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate-extension readers (Fulcio's issuer and other extensions, the embedded SCT list) on certificates
 * whose extension values are fuzzed bytes: an identity with absent parts, or an {@link SigstoreException}
 * ({@code SCT_INVALID}); never another exception. {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class CertificateExtensionFuzzTest {
    private static final class Fixtures {
        static final KeyPair KEYS = keys();
        static final TrustedRoot ROOT = root();

        private static KeyPair keys() {
            try {
                return KeyPairGenerator.getInstance("EC").generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static TrustedRoot root() {
            try {
                return TrustedRoot.parse(InteropFixtures.bytes("sigstore-conformance/production_trusted_root.json"));
            } catch (SigstoreException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @FuzzTest
    void fulcioAndSctExtensions(FuzzedDataProvider data) throws Exception {
        byte[] issuerV1 = data.consumeBytes(200);
        byte[] issuerV2 = data.consumeBytes(200);
        byte[] repository = data.consumeBytes(200);
        byte[] scts = data.consumeRemainingAsBytes();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=fuzz"), BigInteger.ONE, new Date(0L),
                new Date(4_000_000_000_000L), new X500Name("CN=fuzz"), Fixtures.KEYS.getPublic());
        builder.addExtension(new ASN1ObjectIdentifier(FulcioIdentity.ISSUER_V1), false, issuerV1);
        builder.addExtension(new ASN1ObjectIdentifier(FulcioIdentity.ISSUER_V2), false, issuerV2);
        builder.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.12"), false, repository);
        builder.addExtension(new ASN1ObjectIdentifier(EmbeddedScts.SCT_LIST_OID), false, scts);
        X509Certificate certificate;
        try {
            certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(Fixtures.KEYS.getPrivate())));
        } catch (java.security.cert.CertificateException | IllegalArgumentException | IllegalStateException e) {
            return; // the JDK refuses to decode it: nothing reaches our readers
        }
        FulcioIdentity identity = FulcioIdentity.of(certificate);
        assertThat(identity.subjectAlternativeName()).isEmpty();
        identity.issuer().ifPresent(issuer -> assertThat(issuer.length()).isLessThanOrEqualTo(4096));
        try {
            assertThat(EmbeddedScts.parse(certificate)).hasSizeLessThanOrEqualTo(16);
            EmbeddedScts.verify(certificate, certificate, Fixtures.ROOT);
            throw new AssertionError("a fuzzed SCT verified with a CT log key of the public-good root");
        } catch (SigstoreException e) {
            assertThat(e.reason()).isEqualTo(SigstoreReason.SCT_INVALID);
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }
}
