package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages.Layout;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages.Signing;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.KeyType;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LogKey;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keyless-signed images on a real docker-registry (no referrers API), in both layouts cosign writes: the legacy
 * {@code sha256-<hex>.sig} manifest whose layer carries the certificate, chain and Rekor bundle annotations, and the
 * v0.3 Sigstore bundle attached as an OCI referrer through the fallback tag. The material is made by a test Sigstore
 * ({@link TestSigstore}, stored by {@link KeylessImages}); verification goes through {@link ImageVerifier}
 * with a policy of trusted identities. Every failure class is an attack row beside its control.
 */
class KeylessRegistryIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String WORKFLOW = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";

    private final RegistryClient registry = RegistryClient.builder().build();

    static SignerPolicy.CertificateIdentity workflow() {
        return new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW), SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER));
    }

    private static int counter;

    /** Pushes a fresh image, signs it as {@code change} says, verifies with {@code policy}'s identity. */
    private VerificationReport run(Layout layout, Consumer<Signing> change, SignerPolicy.CertificateIdentity identity,
            UnaryOperator<TrustedIdentity.Builder> window) throws Exception {
        ImageReference image = REGISTRY.reference("keyless" + (++counter) + "/app:1.0");
        Digest digest = TestImages.push(registry, image, "keyless " + counter);
        Signing signing = new Signing(registry, NOW, layout);
        change.accept(signing);
        signing.push(image, digest);
        TrustedIdentity trusted = window.apply(TrustedIdentity.builder("release", identity, "test-root", signing.root())).build();
        return verify(image, TrustPolicy.builder().identity(trusted).build());
    }

    private VerificationReport run(Layout layout, Consumer<Signing> change) throws Exception {
        return run(layout, change, workflow(), b -> b);
    }

    private VerificationReport verify(ImageReference image, TrustPolicy policy) throws Exception {
        return ImageVerifier.builder().registry(registry).policy(policy).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().verify(image);
    }

    private static void assertRejected(VerificationReport report, RejectionReason reason) {
        assertThat(report.trusted()).as(report.summary()).isFalse();
        assertThat(report.signatures()).singleElement().satisfies(check -> {
            assertThat(check.reason()).as(check.detail()).contains(reason);
            assertThat(check.detail()).doesNotContain("\n");
        });
        assertThat(report.toJsonTree().at("/signatures/0/reason").asText()).isEqualTo(reason.name());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeylessSignatureVerifiesAndTheReportNamesWhoSigned(Layout layout) throws Exception {
        VerificationReport report = run(layout, s -> { });
        assertThat(report.trusted()).as(report.summary()).isTrue();
        assertThat(report.countedIdentities()).containsExactly("release");
        SignatureCheck check = report.signatures().get(0);
        assertThat(check.format()).isEqualTo(layout == Layout.LEGACY ? SignatureFormat.LEGACY : SignatureFormat.BUNDLE);
        assertThat(check.keyless()).hasValueSatisfying(k -> {
            assertThat(k.certificate().subjectAlternativeName()).contains(WORKFLOW);
            assertThat(k.certificate().issuer()).contains(TestSigstore.GITHUB_ISSUER);
        });
        assertThat(report.summary()).contains(WORKFLOW);
        assertThat(report.toJsonTree().at("/signatures/0/certificateIdentity/subject").asText()).isEqualTo(WORKFLOW);
        assertThat(report.toJsonTree().at("/signatures/0/certificateIdentity/issuer").asText()).isEqualTo(TestSigstore.GITHUB_ISSUER);
        assertThat(report.toJsonTree().at("/countedIdentities").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void anotherIdentityOrIssuerIsRejected(Layout layout) throws Exception {
        assertRejected(run(layout, s -> s.leaf = b -> b.uri("https://github.com/example/fork/.github/workflows/release.yml@refs/heads/main")),
                RejectionReason.IDENTITY_MISMATCH);
        assertRejected(run(layout, s -> s.leaf = b -> b.issuer(Optional.of("https://issuer.example"), Optional.of("https://issuer.example"))),
                RejectionReason.ISSUER_MISMATCH);
        SignerPolicy.CertificateIdentity byExpression = new SignerPolicy.CertificateIdentity(
                SignerPolicy.Matcher.regex("https://github\\.com/example/app/.*"), SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER));
        assertThat(run(layout, s -> { }, byExpression, b -> b).trusted()).isTrue();
        assertRejected(run(layout, s -> s.leaf = b -> b.uri("https://github.com/example/app2/x.yml@refs/heads/main"), byExpression, b -> b),
                RejectionReason.IDENTITY_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aCertificateFromAnUntrustedCaIsRejected(Layout layout) throws Exception {
        TestSigstore.Ca otherRoot = TestSigstore.selfSignedCa("other", KeyType.P384, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        TestSigstore.Ca otherIntermediate = TestSigstore.subordinateCa(otherRoot, "sigstore-test-intermediate", KeyType.P384,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        assertRejected(run(layout, s -> s.leaf = b -> b.issuedBy(otherIntermediate)), RejectionReason.CERTIFICATE_UNTRUSTED);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBadSctIsRejected(Layout layout) throws Exception {
        assertRejected(run(layout, s -> s.leaf = b -> b.sctSignedWith(TestSigstore.newKeyPair(KeyType.P256))), RejectionReason.SCT_INVALID);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBadSetIsRejected(Layout layout) throws Exception {
        assertRejected(run(layout, s -> s.setSigner = LogKey.of(TestSigstore.newKeyPair(KeyType.P256))), RejectionReason.SET_INVALID);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aSigningTimeOutsideTheCertificatesValidityIsRejected(Layout layout) throws Exception {
        assertRejected(run(layout, s -> s.integratedTime = NOW.plus(Duration.ofHours(1))), RejectionReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aRevokedOrOutOfWindowIdentityDoesNotCountWithItsWindowEndExclusive(Layout layout) throws Exception {
        assertRejected(run(layout, s -> { }, workflow(), b -> b.revoked(true)), RejectionReason.IDENTITY_REVOKED);
        assertRejected(run(layout, s -> { }, workflow(), b -> b.notAfter(NOW.minusSeconds(1))), RejectionReason.IDENTITY_EXPIRED);
        assertRejected(run(layout, s -> { }, workflow(), b -> b.notAfter(NOW)), RejectionReason.IDENTITY_EXPIRED);
        assertRejected(run(layout, s -> { }, workflow(), b -> b.notBefore(NOW.plusSeconds(1))), RejectionReason.IDENTITY_NOT_YET_VALID);
        assertThat(run(layout, s -> { }, workflow(), b -> b.notBefore(NOW).notAfter(NOW.plusSeconds(1))).trusted())
                .as("notBefore inclusive, notAfter exclusive, as for keys").isTrue();
    }

    @Test
    void aLegacySignatureOfAnotherImagesDigestIsRejected() throws Exception {
        assertRejected(run(Layout.LEGACY, s -> s.signs = Optional.of(Digest.sha256("another image".getBytes(StandardCharsets.UTF_8)))),
                RejectionReason.DIGEST_MISMATCH);
    }

    @Test
    void aBundleOfAnotherImagesDigestIsRejected() throws Exception {
        assertRejected(run(Layout.BUNDLE, s -> s.signs = Optional.of(Digest.sha256("another image".getBytes(StandardCharsets.UTF_8)))),
                RejectionReason.ARTIFACT_MISMATCH);
    }

    @Test
    void withoutATrustedIdentityAKeylessSignatureCountsForNothing() throws Exception {
        ImageReference image = REGISTRY.reference("keyless-nokey/app:1.0");
        Digest digest = TestImages.push(registry, image, "keyless no identity");
        new Signing(registry, NOW, Layout.LEGACY).push(image, digest);
        try (Signer other = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            VerificationReport report = verify(image, TrustPolicy.builder().key(TrustedKey.builder("k", other.publicKey()).build()).build());
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).singleElement().satisfies(c -> {
                assertThat(c.reason()).contains(RejectionReason.NO_TRUSTED_KEY);
                assertThat(c.detail()).contains("keyless");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void oneKeyAndOneIdentityMakeTwoVotes(Layout layout) throws Exception {
        ImageReference image = REGISTRY.reference("mixed-" + layout.name().toLowerCase() + "/app:1.0");
        Digest digest = TestImages.push(registry, image, "mixed " + layout);
        Signing signing = new Signing(registry, NOW, layout);
        signing.push(image, digest);
        TrustedIdentity identity = TrustedIdentity.builder("release", workflow(), "test-root", signing.root()).build();
        try (Signer key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            TrustPolicy policy = TrustPolicy.builder().threshold(2).identity(identity)
                    .key(TrustedKey.builder("ci-key", key.publicKey()).scheme(key.scheme()).build()).build();
            VerificationReport keylessOnly = verify(image, policy);
            assertThat(keylessOnly.trusted()).as("one identity is one vote of two").isFalse();
            assertThat(keylessOnly.reason()).hasValueSatisfying(r -> assertThat(r).contains("1 trusted key(s) or identities signed, 2 required",
                    "ci-key"));
            ImageSigner.builder().registry(registry).signer(key).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()
                    .sign(SignRequest.builder(image).signatureFormat(layout == Layout.LEGACY ? SignatureFormat.LEGACY : SignatureFormat.BUNDLE)
                            .build());
            VerificationReport both = verify(image, policy);
            assertThat(both.trusted()).as(both.summary()).isTrue();
            assertThat(both.countedKeys()).containsExactly(key.keyId());
            assertThat(both.countedIdentities()).containsExactly("release");
            assertThat(both.signatures()).hasSize(2).allMatch(SignatureCheck::counted);
        }
    }
}
