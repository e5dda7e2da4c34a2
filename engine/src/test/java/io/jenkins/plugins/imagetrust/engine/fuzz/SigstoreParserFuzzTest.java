package io.jenkins.plugins.imagetrust.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.sigstore.Bundle;
import io.jenkins.plugins.imagetrust.engine.sigstore.BundleVerifier;
import io.jenkins.plugins.imagetrust.engine.sigstore.Checkpoint;
import io.jenkins.plugins.imagetrust.engine.sigstore.KeylessVerifier;
import io.jenkins.plugins.imagetrust.engine.sigstore.LegacySignatureLayer;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import io.jenkins.plugins.imagetrust.engine.testing.CosignKeylessLayouts;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Sigstore parsers (bundle, checkpoint, trusted root, legacy layer annotations) and the verifier behind them return a value or throw
 * {@link SigstoreException} with a one-line message: never another exception, never a hang. Seeds under
 * {@code src/test/resources/.../SigstoreParserFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class SigstoreParserFuzzTest {
    private static final Digest ARTIFACT = Digest.parse("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf");

    private static final class Fixtures {
        static final TrustedRoot PRODUCTION = productionRoot();
        static final PublicKey KEY = key();

        private static TrustedRoot productionRoot() {
            try {
                return TrustedRoot.parse(InteropFixtures.bytes("sigstore-conformance/production_trusted_root.json"));
            } catch (SigstoreException e) {
                throw new IllegalStateException(e);
            }
        }

        private static PublicKey key() {
            try {
                return KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @FuzzTest
    void bundles(FuzzedDataProvider data) {
        boolean byKey = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        Bundle bundle;
        try {
            bundle = Bundle.parse(bytes);
        } catch (SigstoreException e) {
            assertThat(e.reason()).isIn(SigstoreReason.MALFORMED_BUNDLE, SigstoreReason.UNSUPPORTED_BUNDLE_VERSION);
            assertOneLine(e);
            return;
        }
        SignerPolicy policy = byKey ? new SignerPolicy.ManagedKey(Fixtures.KEY)
                : new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact("a@example.com"), SignerPolicy.Matcher.exact("https://issuer"));
        try {
            new BundleVerifier(Fixtures.PRODUCTION).verify(bundle, policy, ARTIFACT);
        } catch (SigstoreException e) {
            assertOneLine(e);
            return;
        }
        throw new AssertionError("a fuzzed bundle verified against the public-good root with a fresh key or a made-up identity");
    }

    @FuzzTest
    void checkpoints(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Checkpoint checkpoint = Checkpoint.parse(text);
            assertThat(checkpoint.treeSize()).isNotNegative();
            assertThat(checkpoint.rootHash()).hasSize(32);
            assertThat(checkpoint.signatures()).isNotEmpty().hasSizeLessThanOrEqualTo(Checkpoint.MAX_SIGNATURES);
        } catch (SigstoreException e) {
            assertThat(e.reason()).isEqualTo(SigstoreReason.CHECKPOINT_INVALID);
            assertOneLine(e);
        }
    }

    @FuzzTest
    void trustedRoots(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            TrustedRoot root = TrustedRoot.parse(bytes);
            assertThat(root.tlogs().size() + root.certificateAuthorities().size() + root.timestampAuthorities().size()).isPositive();
            root.tlogs().forEach(log -> assertThat(log.validity().end().map(end -> !end.isBefore(log.validity().start())).orElse(true)).isTrue());
        } catch (SigstoreException e) {
            assertThat(e.reason()).isEqualTo(SigstoreReason.MALFORMED_TRUSTED_ROOT);
            assertOneLine(e);
        }
    }

    /**
     * The legacy {@code .sig} layer's annotations (the Rekor SET bundle, the RFC 3161 annotation, the certificate
     * and chain PEM), one replaced by fuzzed text in an otherwise valid keyless layer from {@link TestSigstore}: a
     * {@link SigstoreException} on one line, or, only when the text is the original, a verified signature.
     */
    @FuzzTest
    void legacyLayers(FuzzedDataProvider data) {
        String annotation = LegacyFixtures.ANNOTATIONS.get(data.consumeInt(0, LegacyFixtures.ANNOTATIONS.size() - 1));
        String text = data.consumeRemainingAsString();
        Map<String, String> annotations = new HashMap<>(LegacyFixtures.LAYER.annotations());
        boolean original = text.equals(annotations.get(annotation));
        annotations.put(annotation, text);
        try {
            new KeylessVerifier(LegacyFixtures.ROOT).verifyLegacyLayer(LegacyFixtures.LAYER.payload(), LegacyFixtures.LAYER.base64Signature(),
                    annotations, LegacyFixtures.IDENTITY);
        } catch (SigstoreException e) {
            assertThat(original).as(e.getMessage()).isFalse();
            assertOneLine(e);
            return;
        }
        assertThat(original).as("a fuzzed " + annotation + " verified").isTrue();
    }

    /** A valid keyless layer with a SET and a timestamp, and the root it verifies against. */
    private static final class LegacyFixtures {
        static final List<String> ANNOTATIONS = List.of(LegacySignatureLayer.BUNDLE_ANNOTATION, LegacySignatureLayer.RFC3161_TIMESTAMP_ANNOTATION,
                LegacySignatureLayer.CERTIFICATE_ANNOTATION, LegacySignatureLayer.CHAIN_ANNOTATION);
        static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
        static final TestSigstore SIGSTORE = new TestSigstore(NOW);
        static final TrustedRoot ROOT = root();
        static final SignerPolicy.CertificateIdentity IDENTITY = new SignerPolicy.CertificateIdentity(
                SignerPolicy.Matcher.regex("https://github\\.com/example/.*"), SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER));
        static final CosignKeylessLayouts.LegacyLayer LAYER = layer();

        private static TrustedRoot root() {
            try {
                return TrustedRoot.parse(SIGSTORE.trustedRootJson());
            } catch (SigstoreException e) {
                throw new IllegalStateException(e);
            }
        }

        private static CosignKeylessLayouts.LegacyLayer layer() {
            TestSigstore.Leaf leaf = SIGSTORE.leaf(TestSigstore.KeyType.P256).build();
            byte[] payload = CosignKeylessLayouts.simpleSigningPayload("registry.test/app", ARTIFACT.toString());
            byte[] signature = TestSigstore.sign(leaf.keys().getPrivate(), payload);
            TestSigstore.LogEntry entry = SIGSTORE.log(TestSigstore.hashedRekordBody(TestSigstore.sha256(payload), signature, leaf.certificate()), NOW);
            return CosignKeylessLayouts.legacyLayer(payload, signature, leaf.certificate(),
                    List.of(SIGSTORE.fulcioIntermediate().certificate(), SIGSTORE.fulcioRoot().certificate()), Optional.of(entry),
                    Optional.of(SIGSTORE.timestamp(signature, NOW)));
        }
    }

    private static void assertOneLine(SigstoreException e) {
        assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
}
