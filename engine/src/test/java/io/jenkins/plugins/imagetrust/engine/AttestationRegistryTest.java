package io.jenkins.plugins.imagetrust.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationReason;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.attestation.Envelope;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.attestation.RejectedAttestation;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.attestation.VerifiedAttestation;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignStorages;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrerManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrersIndex;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attestations on the format seam against a real docker-registry 2.8 (no referrers API: bundles go through the
 * fallback tag): written with signatures in one call or alone, in each storage format, read back and verified; an
 * index's statement; concurrent signers and attesters losing nothing; attacks through the full read path.
 */
class AttestationRegistryTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    private static final String BUILDER = "https://ci.example/job/team/job/app/";

    private final RegistryClient registry = RegistryClient.builder().build();
    private Signer key;
    private TrustPolicy policy;

    @BeforeEach
    void key() throws Exception {
        key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        policy = TrustPolicy.builder().key(TrustedKey.builder("release", key.publicKey()).build()).build();
    }

    @AfterEach
    void closeKey() {
        key.close();
    }

    private static Predicate provenance(String builderId) {
        ObjectNode predicate = JsonMappers.lenient().createObjectNode();
        predicate.putObject("buildDefinition").put("buildType", "https://example.com/build/v1");
        predicate.putObject("runDetails").putObject("builder").put("id", builderId);
        return new Predicate("slsaprovenance1", predicate);
    }

    private static Predicate sbom() {
        ObjectNode predicate = JsonMappers.lenient().createObjectNode().put("spdxVersion", "SPDX-2.3").put("name", "app");
        return new Predicate("spdxjson", predicate);
    }

    private static List<AttestationRequirement> requireBuilder(String builderId) {
        JsonNode tree = JsonMappers.lenient().createArrayNode().add(JsonMappers.lenient().createObjectNode()
                .put("predicateType", "slsaprovenance1").put("builderId", builderId));
        return AttestationRequirement.parse(tree, Set.of("release"));
    }

    private AttestationReport verifyAttestations(ImageReference image, List<AttestationRequirement> requirements, Platform platform)
            throws Exception {
        return AttestationVerification.builder().registry(registry).keys(policy.keys()).requirements(requirements).platform(platform).build()
                .verify(image);
    }

    private ImageSigner signer(Signer with) {
        return ImageSigner.builder().registry(registry).signer(with).build();
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void signingWithProvenanceStoresItInTheFormatAndItVerifies(SignatureFormat format) throws Exception {
        ImageReference image = REGISTRY.reference("attest/" + format.id() + ":1");
        Digest digest = TestImages.push(registry, image);

        SignResult result = signer(key).sign(SignRequest.builder(image).signatureFormat(format).attestations(List.of(provenance(BUILDER))).build());

        assertThat(result.attestations()).hasSize(1).allSatisfy(stored -> {
            assertThat(stored.format()).isEqualTo(format);
            assertThat(stored.alreadyPresent()).isFalse();
        });
        if (format == SignatureFormat.LEGACY) {
            Manifest att = registry.fetchManifest(image.repositoryOnly(), digest.attestationTag()).orElseThrow();
            SignatureManifest.Layer layer = SignatureManifest.parse(att.bytes()).layers().get(0);
            assertThat(layer.mediaType()).isEqualTo("application/vnd.dsse.envelope.v1+json");
            JsonNode annotations = JsonMappers.lenient().readTree(att.bytes()).path("layers").get(0).path("annotations");
            assertThat(annotations.path("predicateType").asText()).isEqualTo(PredicateTypes.SLSA_PROVENANCE_V1);
            assertThat(annotations.path(SignatureManifest.SIGNATURE_ANNOTATION).asText()).isEmpty();
            assertThat(registry.fetchManifest(image.repositoryOnly(), "sha256-" + digest.hex()).isPresent()).as("no referrer").isFalse();
        } else {
            assertThat(registry.fetchManifest(image.repositoryOnly(), digest.attestationTag())).as("no .att tag").isEmpty();
            ReferrersIndex index = ReferrersIndex.parse(registry.fetchReferrers(image.repositoryOnly(), digest).orElseThrow().bytes());
            assertThat(index.entries()).hasSize(2); // the signature's bundle and the attestation's
            List<String> predicateTypes = new ArrayList<>();
            for (ReferrersIndex.Entry entry : index.entries()) {
                Manifest referrer = registry.fetchManifest(image.repositoryOnly(), entry.descriptor().digest().orElseThrow().toString()).orElseThrow();
                JsonNode root = JsonMappers.lenient().readTree(referrer.bytes());
                assertThat(root.path("artifactType").asText()).isEqualTo(MediaTypes.SIGSTORE_BUNDLE);
                predicateTypes.add(root.path("annotations").path(ReferrerManifest.PREDICATE_TYPE_ANNOTATION).asText());
            }
            assertThat(predicateTypes).containsExactlyInAnyOrder("https://sigstore.dev/cosign/sign/v1", PredicateTypes.SLSA_PROVENANCE_V1);
        }

        AttestationReport report = verifyAttestations(image, requireBuilder(BUILDER), null);
        assertThat(report.satisfied()).as(report.summary()).isTrue();
        assertThat(report.verified()).singleElement().satisfies(verified -> {
            assertThat(verified.statement().names(digest)).isTrue();
            assertThat(verified.predicate().path("runDetails").path("builder").path("id").asText()).isEqualTo(BUILDER);
        });
        assertThat(report.found()).extracting(AttestationReport.Found::format).containsOnly(format);
        assertThat(report.toJsonTree().path("attestations").get(0).path("statement").path("predicateType").asText())
                .isEqualTo(PredicateTypes.SLSA_PROVENANCE_V1);

        AttestationReport wrongBuilder = verifyAttestations(image, requireBuilder("https://other.example/job/app/"), null);
        assertThat(wrongBuilder.satisfied()).isFalse();
        assertThat(wrongBuilder.evaluation().results().get(0).findings()).singleElement()
                .satisfies(finding -> assertThat(finding.reason()).contains(AttestationReason.BUILDER_ID_MISMATCH));

        // the attestation does not disturb the signature: still trusted, in the format written
        VerificationReport signatures = ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
        assertThat(signatures.trusted()).as(signatures.summary()).isTrue();
        assertThat(signatures.signatures()).as("the attestation is not listed as a signature").singleElement()
                .satisfies(check -> assertThat(check.counted()).isTrue());
    }

    @Test
    void bothFormatsHoldTheSameEnvelopeAndTheKeyCountsOnce() throws Exception {
        ImageReference image = REGISTRY.reference("attest/both:1");
        TestImages.push(registry, image);

        SignResult result = signer(key).sign(SignRequest.builder(image).attestations(List.of(provenance(BUILDER), sbom())).build());

        assertThat(result.attestations()).extracting(stored -> stored.format().id()).containsExactly("legacy", "legacy", "bundle", "bundle");
        AttestationReport report = verifyAttestations(image, List.of(AttestationRequirement.of("slsaprovenance1"), AttestationRequirement.of("spdxjson")),
                null);
        assertThat(report.satisfied()).as(report.summary()).isTrue();
        assertThat(report.verified()).hasSize(4);
        assertThat(report.evaluation().results()).allSatisfy(r -> assertThat(r.countedKeys()).containsExactly(key.keyId()));
    }

    @Test
    void anAttesterWithASignatureRepositoryWritesThereInBothFormatsAndOnlyThere() throws Exception {
        ImageReference image = REGISTRY.reference("attest/elsewhere:1");
        Digest digest = TestImages.push(registry, image);
        ImageReference signatures = REGISTRY.reference("attest/signatures");

        SignResult result = ImageAttester.create(registry, key, ProgressListener.NONE, signatures)
                .attest(image, List.of(provenance(BUILDER)), SignatureFormat.BOTH);

        assertThat(result.attestations()).extracting(stored -> stored.format().id()).containsExactly("legacy", "bundle");
        assertThat(registry.fetchManifest(signatures, digest.attestationTag())).isPresent();
        assertThat(registry.fetchManifest(signatures, RegistryClient.referrersFallbackTag(digest))).isPresent();
        assertThat(registry.fetchManifest(image.repositoryOnly(), digest.attestationTag())).as("nothing beside the image").isEmpty();
        assertThat(registry.fetchManifest(image.repositoryOnly(), RegistryClient.referrersFallbackTag(digest))).isEmpty();
        AttestationReport there = AttestationVerification.builder().registry(registry).keys(policy.keys()).requirements(requireBuilder(BUILDER))
                .signatureRepository(signatures).build().verify(image);
        assertThat(there.satisfied()).as(there.summary()).isTrue();
        assertThat(there.verified()).hasSize(2);
        assertThat(verifyAttestations(image, requireBuilder(BUILDER), null).satisfied()).as("not found beside the image").isFalse();
    }

    @Test
    void attestingAloneWritesNoSignatureAndAddsToWhatIsThere() throws Exception {
        ImageReference image = REGISTRY.reference("attest/only:1");
        Digest digest = TestImages.push(registry, image);

        SignResult first = ImageAttester.create(registry, key, ProgressListener.NONE).attest(image, List.of(sbom()), SignatureFormat.LEGACY);
        SignResult second = ImageAttester.create(registry, key, ProgressListener.NONE).attest(image, List.of(provenance(BUILDER)), SignatureFormat.LEGACY);

        assertThat(first.signatures().byFormat()).isEmpty();
        assertThat(second.attestations()).hasSize(1);
        assertThat(registry.fetchManifest(image.repositoryOnly(), digest.signatureTag())).as("no signature").isEmpty();
        assertThat(SignatureManifest.parse(registry.fetchManifest(image.repositoryOnly(), digest.attestationTag()).orElseThrow().bytes()).size())
                .isEqualTo(2);
        assertThat(verifyAttestations(image, requireBuilder(BUILDER), null).satisfied()).isTrue();
        VerificationReport signatures = ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
        assertThat(signatures.trusted()).as("an attestation is no signature").isFalse();
    }

    @Test
    void anIndexStatementNamesTheIndexAndEveryPlatformAndIsFoundFromEither() throws Exception {
        ImageReference tag = REGISTRY.reference("attest/multi:1");
        TestImages.MultiPlatform image = TestImages.pushMultiPlatform(registry, tag);

        SignResult result = signer(key).sign(SignRequest.builder(tag).attestations(List.of(provenance(BUILDER))).build());

        assertThat(result.attestations()).hasSize(6); // index + 2 platforms, 2 formats each, one envelope
        AttestationReport fromIndex = verifyAttestations(tag, requireBuilder(BUILDER), null);
        assertThat(fromIndex.satisfied()).as(fromIndex.summary()).isTrue();
        assertThat(fromIndex.digest()).isEqualTo(image.index().digest());
        List<Subject> subjects = fromIndex.verified().get(0).statement().subjects();
        assertThat(subjects).hasSize(3);
        assertThat(subjects.get(0).names(image.index().digest())).isTrue();
        assertThat(subjects.stream().anyMatch(s -> s.names(image.amd64().digest()))).isTrue();
        assertThat(subjects.stream().anyMatch(s -> s.names(image.arm64().digest()))).isTrue();
        assertThat(subjects.stream().anyMatch(s -> s.names(image.attestation().digest()))).as("buildx's attestation manifest").isFalse();

        AttestationReport arm = verifyAttestations(tag, requireBuilder(BUILDER), Platform.parse("linux/arm64/v8"));
        assertThat(arm.digest()).isEqualTo(image.arm64().digest());
        assertThat(arm.satisfied()).as(arm.summary()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void concurrentSignersAndAttestersOnOneImageLoseNothing(SignatureFormat format) throws Exception {
        int writers = 6;
        ImageReference image = REGISTRY.reference("attest/concurrent-" + format.id() + ":1");
        TestImages.push(registry, image);
        List<Signer> signers = new ArrayList<>();
        TrustPolicy.Builder all = TrustPolicy.builder().threshold(writers / 2);
        for (int i = 0; i < writers; i++) {
            Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
            signers.add(signer);
            all.key(TrustedKey.builder("k" + i, signer.publicKey()).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Callable<SignResult>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Signer signer = signers.get(i);
                RegistryClient own = RegistryClient.builder().build();
                boolean attest = i % 2 == 0;
                tasks.add(() -> {
                    start.await();
                    return attest ? ImageAttester.create(own, signer, ProgressListener.NONE).attest(image, List.of(provenance(BUILDER)), format)
                            : ImageSigner.builder().registry(own).signer(signer).build().sign(SignRequest.builder(image).signatureFormat(format).build());
                });
            }
            for (Future<SignResult> future : pool.invokeAll(tasks)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        TrustPolicy trust = all.build();
        VerificationReport signatures = ImageVerifier.builder().registry(registry).policy(trust).build().verify(image);
        assertThat(signatures.trusted()).as(signatures.summary()).isTrue();
        List<AttestationRequirement> threeKeys = AttestationRequirement.parse(JsonMappers.lenient().createArrayNode()
                .add(JsonMappers.lenient().createObjectNode().put("predicateType", "slsaprovenance1").put("threshold", writers / 2)),
                Set.of("k0", "k1", "k2", "k3", "k4", "k5"));
        AttestationReport report = AttestationVerification.builder().registry(registry).keys(trust.keys()).requirements(threeKeys).build()
                .verify(image);
        assertThat(report.satisfied()).as(report.summary()).isTrue();
        assertThat(new HashSet<>(report.evaluation().results().get(0).countedKeys())).hasSize(writers / 2);
        signers.forEach(Signer::close);
    }

    /** Writes {@code attestation} for {@code subject} in {@code format} directly through the seam, as an attacker with push rights could. */
    private void plant(ImageReference image, Descriptor subject, SignatureFormat format, SignedAttestation attestation) throws Exception {
        SignatureStorage storage = CosignStorages.all(registry, ProgressListener.NONE, Clock.systemUTC()).stream()
                .filter(s -> s.format() == format).findFirst().orElseThrow();
        PendingSignature pending = storage.writeAttestation(image.repositoryOnly(), subject, attestation);
        PendingSignature.settleAll(List.of(pending));
        pending.confirm();
    }

    private static RejectedAttestation onlyRejection(AttestationReport report) {
        assertThat(report.satisfied()).isFalse();
        assertThat(report.evaluation().results().get(0).reason()).contains(AttestationReason.NO_ATTESTATION);
        assertThat(report.found()).singleElement().satisfies(found -> assertThat(found.outcome().verified()).isFalse());
        return (RejectedAttestation) report.found().get(0).outcome();
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void attacksThroughTheFullPathCountForNothing(SignatureFormat format) throws Exception {
        ImageReference repository = REGISTRY.reference("attest/attack-" + format.id() + ":x");
        Digest other = TestImages.push(registry, REGISTRY.reference("attest/attack-" + format.id() + ":other"));
        byte[] slsa = provenance(BUILDER).predicate().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // swapped subject: a genuine attestation about another digest, copied under this one
        ImageReference swapped = REGISTRY.reference("attest/attack-" + format.id() + ":swapped");
        TestImages.push(registry, swapped);
        Descriptor swappedSubject = registry.resolve(swapped);
        byte[] aboutOther = Statement.write(List.of(Subject.of(swapped, other)), PredicateTypes.SLSA_PROVENANCE_V1, Statement.readPredicate(slsa));
        plant(swapped, swappedSubject, format, Envelope.signStatement(key, aboutOther).toSignedAttestation(key.publicKey()));
        assertThat(onlyRejection(verifyAttestations(swapped, requireBuilder(BUILDER), null)).reason())
                .isEqualTo(AttestationReason.ATTESTATION_SUBJECT_MISMATCH);

        // predicate-type confusion: an SBOM whose storage annotation claims SLSA provenance
        ImageReference confused = REGISTRY.reference("attest/attack-" + format.id() + ":confused");
        TestImages.push(registry, confused);
        Descriptor confusedSubject = registry.resolve(confused);
        byte[] sbomStatement = Statement.write(List.of(Subject.of(confused, confusedSubject.digest())), PredicateTypes.SPDX, sbom().predicate());
        SignedAttestation sbomEnvelope = Envelope.signStatement(key, sbomStatement).toSignedAttestation(key.publicKey());
        plant(confused, confusedSubject, format, new SignedAttestation(PredicateTypes.SLSA_PROVENANCE_V1, sbomEnvelope.envelope(), sbomEnvelope.bundle()));
        assertThat(onlyRejection(verifyAttestations(confused, requireBuilder(BUILDER), null)).reason())
                .isEqualTo(AttestationReason.PREDICATE_TYPE_NOT_REQUIRED);

        // an attestation signed by a key the policy does not trust
        ImageReference stranger = REGISTRY.reference("attest/attack-" + format.id() + ":stranger");
        TestImages.push(registry, stranger);
        try (Signer strangerKey = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageAttester.create(registry, strangerKey, ProgressListener.NONE).attest(stranger, List.of(provenance(BUILDER)), format);
        }
        assertThat(onlyRejection(verifyAttestations(stranger, requireBuilder(BUILDER), null)).reason()).isEqualTo(AttestationReason.SIGNATURE_INVALID);
        TestImages.push(registry, repository);
    }

    @Test
    void aPayloadTypeOtherThanInTotoIsRejectedFromTheAttLayer() throws Exception {
        ImageReference image = REGISTRY.reference("attest/payload-type:1");
        TestImages.push(registry, image);
        Descriptor subject = registry.resolve(image);
        byte[] statement = Statement.write(List.of(Subject.of(image, subject.digest())), PredicateTypes.SLSA_PROVENANCE_V1,
                provenance(BUILDER).predicate());
        Envelope relabelled = Envelope.sign(key, "application/vnd.example.other+json", statement);
        plant(image, subject, SignatureFormat.LEGACY, new SignedAttestation(PredicateTypes.SLSA_PROVENANCE_V1, relabelled.toJson(), new byte[0]));

        RejectedAttestation rejected = onlyRejection(verifyAttestations(image, requireBuilder(BUILDER), null));
        assertThat(rejected.reason()).isEqualTo(AttestationReason.PAYLOAD_TYPE_NOT_IN_TOTO);
        assertThat(rejected.keyId()).contains(key.keyId());
    }

    @Test
    void anEnvelopeOfAnotherSizeThanDeclaredIsUnreadableNotAnError() throws Exception {
        ImageReference image = REGISTRY.reference("attest/wrong-size:1");
        Digest digest = TestImages.push(registry, image);
        // an .att manifest whose layer declares another size than its blob has
        byte[] blob = {1, 2, 3};
        Digest blobDigest = registry.pushBlob(image.repositoryOnly(), blob);
        SignatureManifest manifest = SignatureManifest.empty().withAttestation(blobDigest, blob.length + 1, PredicateTypes.SLSA_PROVENANCE_V1);
        byte[] config = manifest.configBlob();
        Digest configDigest = registry.pushBlob(image.repositoryOnly(), config);
        registry.pushManifest(image.repositoryOnly(), digest.attestationTag(), manifest.toBytes(configDigest, config.length), MediaTypes.OCI_MANIFEST);

        assertThat(onlyRejection(verifyAttestations(image, requireBuilder(BUILDER), null)).reason()).isEqualTo(AttestationReason.ATTESTATION_UNREADABLE);
    }

    @Test
    void verifiedAttestationsAreTheStatementsTheKeySigned() throws Exception {
        ImageReference image = REGISTRY.reference("attest/statement:1");
        Digest digest = TestImages.push(registry, image);
        signer(key).sign(SignRequest.builder(image).signatureFormat(SignatureFormat.LEGACY).attestations(List.of(provenance(BUILDER))).build());

        VerifiedAttestation verified = verifyAttestations(image, requireBuilder(BUILDER), null).verified().get(0);
        assertThat(verified.keyIds()).containsExactly(key.keyId());
        assertThat(verified.statement().type()).isEqualTo(Statement.TYPE_V1);
        assertThat(verified.statement().subjects()).singleElement().satisfies(s -> {
            assertThat(s.name()).contains(image.repositoryOnly().name());
            assertThat(s.digests()).isEqualTo(Map.of("sha256", digest.hex()));
        });
    }
}
