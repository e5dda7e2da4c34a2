package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.CosignKeylessLayouts;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.KeyType;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LeafBuilder;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LogKey;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.Window;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The legacy {@code .sig} layer's keyless form, laid out as cosign writes it ({@link CosignKeylessLayouts}), signed by
 * a test Sigstore deployment ({@link TestSigstore}) and verified with {@link KeylessVerifier#verifyLegacyLayer}.
 * Every failure class of issue 17 is an attack row: the control (the default scenario) verifies, the same scenario
 * with one thing changed fails with its reason; boundaries (window ends, certificate expiry) are inclusive.
 */
class KeylessLegacyLayerTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String WORKFLOW = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";
    static final String MANIFEST = "sha256:" + "ab".repeat(32);
    static final SignerPolicy.CertificateIdentity IDENTITY = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW),
            SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER));

    /** One keyless signing, every part changeable; {@link #verify} lays it out and checks it. */
    static final class Scenario {
        final TestSigstore sigstore;
        KeyType leafKey = KeyType.P256;
        UnaryOperator<LeafBuilder> leaf = b -> b;
        byte[] payload = CosignKeylessLayouts.simpleSigningPayload("registry.test/app", MANIFEST);
        /** What the leaf's key signs: by default the payload. */
        Optional<byte[]> signedBytes = Optional.empty();
        boolean logged = true;
        Instant integratedTime = NOW;
        LogKey setSigner;
        /** What the Rekor body records instead of the real digest, signature, certificate. */
        Optional<byte[]> loggedDigest = Optional.empty();
        Optional<byte[]> loggedSignature = Optional.empty();
        boolean loggedOtherCertificate;
        Optional<Instant> timestampAt = Optional.empty();
        Optional<TestSigstore.Ca> timestampSigner = Optional.empty();
        Optional<byte[]> timestampedBytes = Optional.empty();
        Consumer<Map<String, String>> annotations = a -> { };
        Consumer<TestSigstore> root = s -> { };

        Scenario() {
            this(new TestSigstore(NOW));
        }

        Scenario(TestSigstore sigstore) {
            this.sigstore = sigstore;
            this.setSigner = sigstore.rekor();
        }

        CosignKeylessLayouts.LegacyLayer layer() {
            TestSigstore.Leaf signer = leaf.apply(sigstore.leaf(leafKey)).build();
            byte[] signature = TestSigstore.sign(signer.keys().getPrivate(), signedBytes.orElse(payload));
            Optional<TestSigstore.LogEntry> entry = Optional.empty();
            if (logged) {
                java.security.cert.X509Certificate loggedCertificate = loggedOtherCertificate ? sigstore.leaf(leafKey).build().certificate()
                        : signer.certificate();
                byte[] body = TestSigstore.hashedRekordBody(loggedDigest.orElse(TestSigstore.sha256(payload)), loggedSignature.orElse(signature),
                        loggedCertificate);
                entry = Optional.of(sigstore.log(body, integratedTime, setSigner, sigstore.rekor()));
            }
            Optional<byte[]> timestamp = timestampAt.map(at -> TestSigstore.timestamp(timestampedBytes.orElse(signature), at,
                    timestampSigner.orElse(sigstore.tsaLeaf()), true));
            CosignKeylessLayouts.LegacyLayer layer = CosignKeylessLayouts.legacyLayer(payload, signature, signer.certificate(),
                    List.of(sigstore.fulcioIntermediate().certificate(), sigstore.fulcioRoot().certificate()), entry, timestamp);
            annotations.accept(layer.annotations());
            return layer;
        }

        VerifiedBundle verify(SignerPolicy.CertificateIdentity policy) throws SigstoreException {
            CosignKeylessLayouts.LegacyLayer layer = layer();
            root.accept(sigstore);
            return new KeylessVerifier(TrustedRoot.parse(sigstore.trustedRootJson())).verifyLegacyLayer(layer.payload(),
                    layer.base64Signature(), layer.annotations(), policy);
        }

        VerifiedBundle verify() throws SigstoreException {
            return verify(IDENTITY);
        }
    }

    static void assertRejected(Scenario scenario, SigstoreReason reason) {
        assertRejected(scenario, IDENTITY, reason);
    }

    static void assertRejected(Scenario scenario, SignerPolicy.CertificateIdentity policy, SigstoreReason reason) {
        assertThatThrownBy(() -> scenario.verify(policy)).isInstanceOfSatisfying(SigstoreException.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).doesNotContain("\n", "\r");
        });
    }

    static Scenario with(Consumer<Scenario> change) {
        Scenario scenario = new Scenario();
        change.accept(scenario);
        return scenario;
    }

    // ---------------------------------------------------------------- controls

    @Test
    void aKeylessLegacyLayerVerifiesWithItsIdentityAndRekorTime() throws Exception {
        VerifiedBundle verified = new Scenario().verify();
        assertThat(verified.artifact()).isEqualTo(Digest.sha256(new Scenario().payload));
        assertThat(verified.signingTimes()).singleElement().satisfies(t -> {
            assertThat(t.time()).isEqualTo(NOW);
            assertThat(t.source()).isEqualTo(VerifiedBundle.TimeSource.TLOG_SIGNED_ENTRY_TIMESTAMP);
            assertThat(t.authority()).isEqualTo("https://rekor.sigstore.test");
        });
        assertThat(verified.signer()).isInstanceOfSatisfying(VerifiedBundle.CertificateSigner.class, s -> {
            assertThat(s.identity().subjectAlternativeName()).contains(WORKFLOW);
            assertThat(s.identity().extensions()).containsEntry("githubWorkflowRepository", "example/app");
            assertThat(s.identity().issuer()).contains(TestSigstore.GITHUB_ISSUER);
            assertThat(s.identity().extensions()).containsEntry("sourceRepositoryURI", "https://github.com/example/app")
                    .containsEntry("sourceRepositoryRef", "refs/heads/main").containsEntry("buildTrigger", "push");
        });
    }

    @Test
    void aTimestampAloneProvesTheSigningTime() throws Exception {
        VerifiedBundle verified = with(s -> {
            s.logged = false;
            s.timestampAt = Optional.of(NOW.plusSeconds(5));
        }).verify();
        assertThat(verified.signingTimes()).singleElement().satisfies(t -> {
            assertThat(t.source()).isEqualTo(VerifiedBundle.TimeSource.RFC3161_TIMESTAMP);
            assertThat(t.time()).isEqualTo(NOW.plusSeconds(5));
            assertThat(t.authority()).isEqualTo("https://timestamp.sigstore.test");
        });
        assertThat(with(s -> s.timestampAt = Optional.of(NOW)).verify().signingTimes()).hasSize(2);
    }

    // ---------------------------------------------------------------- certificate chain and validity

    @Test
    void aCertificateFromAnotherCaIsUntrusted() throws Exception {
        TestSigstore.Ca otherRoot = TestSigstore.selfSignedCa("other", KeyType.P384, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        TestSigstore.Ca otherIntermediate = TestSigstore.subordinateCa(otherRoot, "sigstore-test-intermediate", KeyType.P384,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        assertRejected(with(s -> s.leaf = b -> b.issuedBy(otherIntermediate)), SigstoreReason.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void theFulcioWindowMustHoldTheSigningTimeEndInclusive() throws Exception {
        with(s -> s.root = r -> r.fulcioWindow = Window.between(NOW.minus(Duration.ofDays(1)), NOW)).verify();
        assertRejected(with(s -> s.root = r -> r.fulcioWindow = Window.between(NOW.minus(Duration.ofDays(1)), NOW.minusSeconds(1))),
                SigstoreReason.CERTIFICATE_UNTRUSTED);
        assertRejected(with(s -> s.root = r -> r.fulcioWindow = Window.from(NOW.plusSeconds(1))), SigstoreReason.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void theSigningTimeMustLieInTheCertificatesValidityEndInclusive() throws Exception {
        Instant notAfter = NOW.plus(Duration.ofMinutes(9));
        with(s -> s.integratedTime = notAfter).verify();
        assertRejected(with(s -> s.integratedTime = notAfter.plusSeconds(1)), SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        assertRejected(with(s -> s.integratedTime = NOW.minus(Duration.ofMinutes(2))), SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        assertRejected(with(s -> {
            s.logged = false;
            s.timestampAt = Optional.of(notAfter.plusSeconds(1));
        }), SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
    }

    @Test
    void aCertificateNotForCodeSigningIsUntrusted() {
        assertRejected(with(s -> s.leaf = LeafBuilder::withoutCodeSigning), SigstoreReason.CERTIFICATE_UNTRUSTED);
    }

    // ---------------------------------------------------------------- SCT

    @Test
    void theSctMustBeFromATrustedCtLogInItsWindow() throws Exception {
        assertRejected(with(s -> s.leaf = b -> b.sctFrom(Optional.empty())), SigstoreReason.SCT_INVALID);
        LogKey otherLog = LogKey.of(TestSigstore.newKeyPair(KeyType.P256));
        assertRejected(with(s -> s.leaf = b -> b.sctFrom(Optional.of(otherLog))), SigstoreReason.SCT_INVALID);
        Instant sctTime = NOW.minusSeconds(59);
        with(s -> s.root = r -> r.ctLogWindow = Window.between(sctTime.minusSeconds(60), sctTime)).verify();
        assertRejected(with(s -> s.root = r -> r.ctLogWindow = Window.between(sctTime.minusSeconds(60), sctTime.minusMillis(1))),
                SigstoreReason.SCT_INVALID);
    }

    @Test
    void anSctNamingTheTrustedLogButSignedByAnotherKeyFails() {
        assertRejected(with(s -> s.leaf = b -> b.sctSignedWith(TestSigstore.newKeyPair(KeyType.P256))), SigstoreReason.SCT_INVALID);
    }

    // ---------------------------------------------------------------- Rekor SET and entry

    @Test
    void theSetMustBeSignedByTheLogsKey() {
        assertRejected(with(s -> s.setSigner = LogKey.of(TestSigstore.newKeyPair(KeyType.P256))), SigstoreReason.SET_INVALID);
    }

    @Test
    void anEntryFromAnUnknownLogIsUntrusted() {
        assertRejected(with(s -> s.annotations = a -> a.put(LegacySignatureLayer.BUNDLE_ANNOTATION,
                a.get(LegacySignatureLayer.BUNDLE_ANNOTATION).replace(java.util.HexFormat.of().formatHex(s.sigstore.rekor().logId()), "00".repeat(32)))),
                SigstoreReason.TLOG_UNTRUSTED);
    }

    @Test
    void theRekorWindowMustHoldTheIntegratedTimeEndInclusive() throws Exception {
        with(s -> s.root = r -> r.rekorWindow = Window.between(NOW.minusSeconds(60), NOW)).verify();
        assertRejected(with(s -> s.root = r -> r.rekorWindow = Window.between(NOW.minusSeconds(60), NOW.minusSeconds(1))),
                SigstoreReason.TLOG_UNTRUSTED);
    }

    @Test
    void theLogEntryMustRecordThisSignatureCertificateAndPayload() {
        assertRejected(with(s -> s.loggedDigest = Optional.of(TestSigstore.sha256("another payload".getBytes(StandardCharsets.UTF_8)))),
                SigstoreReason.TLOG_ENTRY_MISMATCH);
        assertRejected(with(s -> s.loggedSignature = Optional.of(new byte[] {1, 2, 3})), SigstoreReason.TLOG_ENTRY_MISMATCH);
        assertRejected(with(s -> s.loggedOtherCertificate = true), SigstoreReason.TLOG_ENTRY_MISMATCH);
    }

    @Test
    void theIntegratedTimeCannotBeEditedUnderTheSet() {
        assertRejected(with(s -> s.annotations = a -> a.put(LegacySignatureLayer.BUNDLE_ANNOTATION,
                a.get(LegacySignatureLayer.BUNDLE_ANNOTATION).replace("\"integratedTime\":" + NOW.getEpochSecond(),
                        "\"integratedTime\":" + (NOW.getEpochSecond() + 1)))), SigstoreReason.SET_INVALID);
    }

    @Test
    void withoutSetOrTimestampNothingProvesTheTime() {
        assertRejected(with(s -> s.logged = false), SigstoreReason.NO_SIGNING_TIME);
    }

    // ---------------------------------------------------------------- signature

    @Test
    void theSignatureMustBeOverThePayloadWithTheCertificatesKey() {
        assertRejected(with(s -> s.signedBytes = Optional.of("something else".getBytes(StandardCharsets.UTF_8))), SigstoreReason.SIGNATURE_INVALID);
    }

    // ---------------------------------------------------------------- RFC 3161 timestamps

    @Test
    void theTimestampMustBeFromTheTrustedTsaInItsWindowAndOverTheSignature() throws Exception {
        TestSigstore.Ca otherTsaRoot = TestSigstore.selfSignedCa("other-tsa", KeyType.P256, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        TestSigstore.Ca otherTsa = TestSigstore.tsaLeaf(otherTsaRoot, "sigstore-test-tsa", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        Consumer<Scenario> timestamped = s -> {
            s.logged = false;
            s.timestampAt = Optional.of(NOW);
        };
        with(timestamped.andThen(s -> s.root = r -> r.tsaWindow = Window.between(NOW.minusSeconds(1), NOW))).verify();
        assertRejected(with(timestamped.andThen(s -> s.timestampSigner = Optional.of(otherTsa))), SigstoreReason.TIMESTAMP_UNTRUSTED);
        assertRejected(with(timestamped.andThen(s -> s.root = r -> r.tsaWindow = Window.between(NOW.minusSeconds(60), NOW.minusSeconds(1)))),
                SigstoreReason.TIMESTAMP_UNTRUSTED);
        assertRejected(with(timestamped.andThen(s -> s.timestampedBytes = Optional.of(new byte[] {7}))), SigstoreReason.TIMESTAMP_INVALID);
    }

    // ---------------------------------------------------------------- identity

    @Test
    void theIdentityAndIssuerMustMatchExactlyOrByExpression() throws Exception {
        Scenario scenario = new Scenario();
        scenario.verify(new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.regex("https://github\\.com/example/app/.*"),
                SignerPolicy.Matcher.regex("https://token\\.actions\\..*")));
        assertRejected(new Scenario(), new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW + "x"),
                SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER)), SigstoreReason.IDENTITY_MISMATCH);
        assertRejected(new Scenario(), new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.regex("https://github\\.com/example/"),
                SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER)), SigstoreReason.IDENTITY_MISMATCH); // anchored
        assertRejected(new Scenario(), new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW),
                SignerPolicy.Matcher.exact("https://accounts.google.com")), SigstoreReason.ISSUER_MISMATCH);
    }

    @Test
    void anEmailIdentityAndEitherIssuerExtensionAreRead() throws Exception {
        SignerPolicy.CertificateIdentity person = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact("dev@example.com"),
                SignerPolicy.Matcher.exact("https://accounts.google.com"));
        with(s -> s.leaf = b -> b.email("dev@example.com").issuer(Optional.of("https://accounts.google.com"), Optional.empty())).verify(person);
        with(s -> s.leaf = b -> b.email("dev@example.com").issuer(Optional.empty(), Optional.of("https://accounts.google.com"))).verify(person);
        assertRejected(with(s -> s.leaf = b -> b.email("dev@example.com").issuer(Optional.empty(), Optional.empty())), person,
                SigstoreReason.ISSUER_MISMATCH);
        assertRejected(with(s -> s.leaf = b -> b.email("eve@example.com").issuer(Optional.empty(), Optional.of("https://accounts.google.com"))),
                person, SigstoreReason.IDENTITY_MISMATCH);
    }

    @Test
    void workflowExtensionRulesMustAllMatch() throws Exception {
        SignerPolicy.CertificateIdentity onMain = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW),
                SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER), Map.of("sourceRepositoryURI", SignerPolicy.Matcher.exact(
                        "https://github.com/example/app"), "sourceRepositoryRef", SignerPolicy.Matcher.regex("refs/(heads/main|tags/v.*)"),
                        "buildTrigger", SignerPolicy.Matcher.exact("push")));
        new Scenario().verify(onMain);
        assertRejected(with(s -> s.leaf = b -> b.extension(TestSigstore.OID_SOURCE_REPOSITORY_REF, "refs/heads/feature")), onMain,
                SigstoreReason.IDENTITY_MISMATCH);
        assertRejected(with(s -> s.leaf = b -> b.extension(TestSigstore.OID_BUILD_TRIGGER, null)), onMain, SigstoreReason.IDENTITY_MISMATCH);
        SignerPolicy.CertificateIdentity cosignFlags = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW),
                SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER), Map.of("githubWorkflowRepository", SignerPolicy.Matcher.exact(
                        "example/app"), "githubWorkflowTrigger", SignerPolicy.Matcher.exact("push")));
        new Scenario().verify(cosignFlags);
        assertRejected(with(s -> s.leaf = b -> b.extensionV1(TestSigstore.OID_GITHUB_WORKFLOW_REPOSITORY_V1, "example/fork")), cosignFlags,
                SigstoreReason.IDENTITY_MISMATCH);
        assertThatThrownBy(() -> new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(WORKFLOW),
                SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER), Map.of("workflowColour", SignerPolicy.Matcher.exact("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workflowColour");
    }

    @Test
    void attackerTextInAnIdentityReachesTheMessageOnOneLine() {
        assertThatThrownBy(() -> with(s -> s.leaf = b -> b.issuer(Optional.empty(), Optional.of("https://evil.example\nINFO verified: ok")))
                .verify()).isInstanceOfSatisfying(SigstoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SigstoreReason.ISSUER_MISMATCH);
                    assertThat(e.getMessage()).doesNotContain("\n").contains("evil.example\\u000aINFO verified");
                });
    }

    // ---------------------------------------------------------------- key types

    @Test
    void p384AndEd25519LeavesVerify() throws Exception {
        with(s -> s.leafKey = KeyType.P384).verify();
        with(s -> s.leafKey = KeyType.ED25519).verify();
    }

    @Test
    void ed25519RekorAndCtLogKeysVerify() throws Exception {
        Scenario scenario = new Scenario(new TestSigstore(NOW, KeyType.ED25519));
        scenario.verify();
        scenario.setSigner = LogKey.of(TestSigstore.newKeyPair(KeyType.ED25519));
        assertRejected(scenario, SigstoreReason.SET_INVALID);
    }

    // ---------------------------------------------------------------- malformed layers

    @Test
    void unreadableAnnotationsAreMalformedNamingTheAnnotation() {
        assertMalformed(a -> a.remove(LegacySignatureLayer.CERTIFICATE_ANNOTATION), LegacySignatureLayer.CERTIFICATE_ANNOTATION);
        assertMalformed(a -> a.put(LegacySignatureLayer.SIGNATURE_ANNOTATION, "AAAA"), LegacySignatureLayer.SIGNATURE_ANNOTATION);
        assertMalformed(a -> a.put(LegacySignatureLayer.CERTIFICATE_ANNOTATION, "not a certificate"), LegacySignatureLayer.CERTIFICATE_ANNOTATION);
        assertMalformed(a -> a.put(LegacySignatureLayer.CHAIN_ANNOTATION, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                LegacySignatureLayer.CHAIN_ANNOTATION);
        assertMalformed(a -> a.put(LegacySignatureLayer.BUNDLE_ANNOTATION, "{"), "legacy signature layer");
        assertMalformed(a -> a.put(LegacySignatureLayer.BUNDLE_ANNOTATION, a.get(LegacySignatureLayer.BUNDLE_ANNOTATION)
                .replace("\"logID\":\"", "\"logID\":\"\\n")), "logID");
        assertMalformed(a -> a.put(LegacySignatureLayer.RFC3161_TIMESTAMP_ANNOTATION, "{\"SignedRFC3161Timestamp\":1}"),
                LegacySignatureLayer.RFC3161_TIMESTAMP_ANNOTATION);
        assertMalformed(a -> a.put(LegacySignatureLayer.BUNDLE_ANNOTATION, "x".repeat(LegacySignatureLayer.MAX_ANNOTATION_CHARS + 1)),
                "at most");
    }

    private static void assertMalformed(Consumer<Map<String, String>> edit, String named) {
        assertThatThrownBy(() -> with(s -> s.annotations = edit).verify()).isInstanceOfSatisfying(SigstoreException.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(SigstoreReason.MALFORMED_BUNDLE);
            assertThat(e.getMessage()).contains(named).doesNotContain("\n");
        });
    }
}
