package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.OpenSsl;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The cosign 3 bundle attached as an OCI referrer, signed and verified against a real docker-registry (no referrers API). */
class BundleRegistryIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final RegistryClient registry = RegistryClient.builder().build();

    private static Signer newSigner() throws Exception {
        return new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
    }

    private static TrustPolicy trusting(int threshold, Signer... signers) {
        TrustPolicy.Builder builder = TrustPolicy.builder().threshold(threshold);
        for (Signer s : signers) {
            builder.key(TrustedKey.builder("key-" + s.keyId().shortForm(), s.publicKey()).scheme(s.scheme()).build());
        }
        return builder.build();
    }

    private VerificationReport verify(ImageReference image, TrustPolicy policy) throws Exception {
        return ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
    }

    private SignResult sign(ImageReference image, Signer signer, SignatureFormat format, Map<String, String> annotations) throws Exception {
        return ImageSigner.builder().registry(registry).signer(signer).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()
                .sign(SignRequest.builder(image).signatureFormat(format).annotations(annotations).build());
    }

    private ReferrersIndex fallbackIndex(ImageReference image, Digest digest) throws Exception {
        Manifest index = registry.fetchManifest(image, RegistryClient.referrersFallbackTag(digest)).orElseThrow();
        assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        return ReferrersIndex.parse(index.bytes());
    }

    private static List<SignatureCheck> bundleChecks(VerificationReport report) {
        return report.signatures().stream().filter(s -> s.format() == SignatureFormat.BUNDLE).toList();
    }

    /** Attaches {@code bundle} to {@code subject} the way our publisher does, for bundles a test crafts. */
    private Digest attach(ImageReference image, Descriptor subject, byte[] bundle) throws Exception {
        Digest bundleDigest = registry.pushBlob(image, bundle);
        registry.pushBlob(image, ReferrerManifest.EMPTY_CONFIG);
        Map<String, String> annotations = ReferrerManifest.dsseAnnotations(NOW);
        byte[] manifest = ReferrerManifest.create(new Descriptor(MediaTypes.SIGSTORE_BUNDLE, bundleDigest, bundle.length), subject, annotations);
        Digest manifestDigest = registry.pushManifest(image, Digest.sha256(manifest).toString(), manifest, MediaTypes.OCI_MANIFEST);
        appendToIndex(image, subject.digest(), new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length), annotations);
        return manifestDigest;
    }

    private void appendToIndex(ImageReference image, Digest subject, Descriptor referrer, Map<String, String> annotations) throws Exception {
        String tag = RegistryClient.referrersFallbackTag(subject);
        Optional<Manifest> current = registry.fetchManifest(image, tag);
        ReferrersIndex base = current.isPresent() ? ReferrersIndex.parse(current.get().bytes()) : ReferrersIndex.empty();
        registry.pushManifest(image, tag, base.with(referrer, MediaTypes.SIGSTORE_BUNDLE, annotations).toBytes(), MediaTypes.OCI_INDEX);
    }

    private static byte[] dsseBundle(Signer signer, String payloadType, byte[] payload) throws Exception {
        byte[] signature = signer.sign(Dsse.pae(payloadType, payload));
        ObjectNode root = JSON.readValue(SigstoreBundle.createDsse(payload, signature, signer.publicKey()), ObjectNode.class);
        ((ObjectNode) root.get("dsseEnvelope")).put("payloadType", payloadType);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void signingBothWritesTheSigTagAndTheFallbackIndexAndVerifies() throws Exception {
        ImageReference image = REGISTRY.reference("both/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            SignResult result = sign(image, signer, SignatureFormat.BOTH, Map.of());
            assertThat(result.signatureFormat()).isEqualTo(SignatureFormat.BOTH);
            assertThat(result.signatureTag()).isEqualTo(digest.signatureTag());
            assertThat(result.bundle()).isPresent();
            assertThat(result.bundle().get().fallbackTag()).contains("sha256-" + digest.hex());
            assertThat(registry.fetchManifest(image, digest.signatureTag())).isPresent();
            ReferrersIndex index = fallbackIndex(image, digest);
            assertThat(index.entries()).hasSize(1);
            assertThat(index.entries().get(0).artifactType()).isEqualTo(MediaTypes.SIGSTORE_BUNDLE);
            assertThat(index.entries().get(0).descriptor().digest()).contains(result.referrerDigest().orElseThrow());
            assertThat(index.entries().get(0).descriptor().annotations())
                    .containsEntry(ReferrerManifest.CONTENT_ANNOTATION, "dsse-envelope")
                    .containsEntry(ReferrerManifest.PREDICATE_TYPE_ANNOTATION, InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE);

            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isTrue();
            assertThat(report.countedKeys()).containsExactly(signer.keyId());
            assertThat(report.signatures()).extracting(SignatureCheck::format)
                    .containsExactlyInAnyOrder(SignatureFormat.LEGACY, SignatureFormat.BUNDLE);
            // One key, two formats: it counts once; the second signature is the same key's.
            assertThat(report.signatures()).filteredOn(s -> !s.counted()).extracting(s -> s.reason().orElseThrow())
                    .containsExactly(RejectionReason.DUPLICATE_KEY);
            try (Signer absent = newSigner()) {
                VerificationReport twoKeys = verify(image, trusting(2, signer, absent));
                assertThat(twoKeys.trusted()).as("one key in two formats is still one key").isFalse();
            }
            assertThat(report.toJsonTree().at("/signatures/0/format").asText()).isIn("legacy", "bundle");
        }
    }

    @Test
    void aBundleAloneIsEnoughToVerify() throws Exception {
        ImageReference image = REGISTRY.reference("bundleonly/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            SignResult result = sign(image, signer, SignatureFormat.BUNDLE, Map.of("git", "abc123"));
            assertThat(result.signatureTag()).isNull();
            assertThat(registry.fetchManifest(image, digest.signatureTag())).isEmpty();
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build())
                    .requiredAnnotation("git", "abc123").build();
            VerificationReport report = verify(image, policy);
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.signatures()).singleElement().satisfies(check -> {
                assertThat(check.format()).isEqualTo(SignatureFormat.BUNDLE);
                assertThat(check.counted()).isTrue();
                assertThat(check.annotations()).containsEntry("git", "abc123");
                assertThat(check.payloadDigest()).isEqualTo(result.bundle().orElseThrow().bundleDigest());
            });
            assertThat(verify(image, TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build())
                    .requiredAnnotation("git", "other").build()).signatures().get(0).reason()).contains(RejectionReason.MISSING_ANNOTATION);
        }
    }

    @Test
    void aSecondSignersBundleIsAddedAndTheFirstEntryKeptVerbatim() throws Exception {
        ImageReference image = REGISTRY.reference("two/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer first = newSigner(); Signer second = newSigner()) {
            sign(image, first, SignatureFormat.BUNDLE, Map.of());
            JsonNode before = JSON.readTree(registry.fetchManifest(image, RegistryClient.referrersFallbackTag(digest)).orElseThrow().bytes());
            sign(image, second, SignatureFormat.BUNDLE, Map.of());
            JsonNode after = JSON.readTree(registry.fetchManifest(image, RegistryClient.referrersFallbackTag(digest)).orElseThrow().bytes());
            assertThat(after.get("manifests")).hasSize(2);
            assertThat(after.get("manifests").get(0)).isEqualTo(before.get("manifests").get(0));
            VerificationReport report = verify(image, trusting(2, first, second));
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.countedKeys()).containsExactlyInAnyOrder(first.keyId(), second.keyId());
        }
    }

    @Test
    void signingAgainWithTheSameKeyAddsNoSecondBundle() throws Exception {
        ImageReference image = REGISTRY.reference("again/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            SignResult first = sign(image, signer, SignatureFormat.BOTH, Map.of("run", "1"));
            SignResult second = sign(image, signer, SignatureFormat.BOTH, Map.of("run", "1"));
            assertThat(first.alreadyPresent()).isFalse();
            assertThat(second.alreadyPresent()).isTrue();
            assertThat(second.referrerDigest()).isEqualTo(first.referrerDigest());
            assertThat(fallbackIndex(image, digest).entries()).hasSize(1);
            SignResult other = sign(image, signer, SignatureFormat.BUNDLE, Map.of("run", "2"));
            assertThat(other.alreadyPresent()).isFalse();
            assertThat(fallbackIndex(image, digest).entries()).hasSize(2);
        }
    }

    @Test
    void parallelSignersWithTheSameKeyAttachOneBundle() throws Exception {
        ImageReference image = REGISTRY.reference("parallel/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<SignResult>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    tasks.add(() -> sign(image, signer, SignatureFormat.BUNDLE, Map.of()));
                }
                long fresh = 0;
                for (Future<SignResult> f : pool.invokeAll(tasks)) {
                    fresh += f.get().alreadyPresent() ? 0 : 1;
                }
                assertThat(fresh).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(fallbackIndex(image, digest).entries()).hasSize(1);
        }
    }

    @Test
    void foreignReferrersAreKeptAndSkipped() throws Exception {
        ImageReference image = REGISTRY.reference("foreign/app:1.0");
        Digest digest = TestImages.push(registry, image);
        Descriptor subject = registry.resolve(image);
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
        Digest sbomDigest = registry.pushBlob(image, sbom);
        registry.pushBlob(image, ReferrerManifest.EMPTY_CONFIG);
        byte[] sbomManifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + Digest.sha256(ReferrerManifest.EMPTY_CONFIG)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + sbomDigest + "\",\"size\":" + sbom.length
                + "}],\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\"" + digest + "\",\"size\":" + subject.size() + "}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest sbomRef = registry.pushManifest(image, Digest.sha256(sbomManifest).toString(), sbomManifest, MediaTypes.OCI_MANIFEST);
        String tag = RegistryClient.referrersFallbackTag(digest);
        byte[] foreignIndex = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + sbomRef + "\",\"size\":" + sbomManifest.length
                + ",\"artifactType\":\"application/spdx+json\",\"x-vendor\":{\"kept\":[1,2.50,true]}}],\"annotations\":{\"by\":\"other-tool\"}}")
                .getBytes(StandardCharsets.UTF_8);
        registry.pushManifest(image, tag, foreignIndex, MediaTypes.OCI_INDEX);
        try (Signer signer = newSigner()) {
            sign(image, signer, SignatureFormat.BUNDLE, Map.of());
            JsonNode index = JSON.readTree(registry.fetchManifest(image, tag).orElseThrow().bytes());
            assertThat(index.get("manifests")).hasSize(2);
            assertThat(index.get("manifests").get(0)).isEqualTo(JSON.readTree(foreignIndex).get("manifests").get(0));
            assertThat(index.at("/manifests/0/x-vendor/kept/1").decimalValue()).isEqualByComparingTo("2.50");
            assertThat(index.at("/annotations/by").asText()).isEqualTo("other-tool");
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isTrue();
            assertThat(report.signatures()).hasSize(1);
        }
    }

    @Test
    void aFallbackTagHoldingSomethingElseIsNeitherOverwrittenNorTrusted() throws Exception {
        ImageReference image = REGISTRY.reference("squatted/app:1.0");
        Digest digest = TestImages.push(registry, image);
        String tag = RegistryClient.referrersFallbackTag(digest);
        Digest squatter = TestImages.push(registry, image.withTag(tag));
        try (Signer signer = newSigner()) {
            assertThatThrownBy(() -> sign(image, signer, SignatureFormat.BUNDLE, Map.of())).isInstanceOf(RegistryException.class)
                    .hasMessageContaining(MediaTypes.DOCKER_MANIFEST).hasMessageContaining("not an OCI image index");
            assertThat(registry.fetchManifest(image, tag).orElseThrow().digest()).isEqualTo(squatter);
            VerificationReport squatted = verify(image, trusting(1, signer));
            assertThat(squatted.trusted()).isFalse();
            assertThat(squatted.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
                assertThat(check.detail()).contains("not an OCI image index");
            });
            // The squatter blocks the bundle, not the .sig signature.
            sign(image, signer, SignatureFormat.LEGACY, Map.of());
            assertThat(verify(image, trusting(1, signer)).trusted()).isTrue();
        }
    }

    @Test
    void signingWarnsWhenItsBundleLandsWhereVerifiersStopReading() throws Exception {
        ImageReference image = REGISTRY.reference("crowded/app:1.0");
        Digest digest = TestImages.push(registry, image);
        ReferrersIndex crowded = ReferrersIndex.empty();
        for (int i = 0; i < BundleSignatureReader.MAX_REFERRERS; i++) {
            // Real manifests (the registry checks that an index's entries exist), typed as bundles: junk that crowds.
            Manifest junk = registry.fetchManifest(image, TestImages.push(registry, image.withTag("junk-" + i)).toString()).orElseThrow();
            crowded = crowded.with(new Descriptor(junk.mediaType(), junk.digest(), junk.bytes().length), MediaTypes.SIGSTORE_BUNDLE, Map.of());
        }
        registry.pushManifest(image, RegistryClient.referrersFallbackTag(digest), crowded.toBytes(), MediaTypes.OCI_INDEX);
        List<io.jenkins.plugins.imagetrust.engine.events.ProgressEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Signer signer = newSigner()) {
            SignResult result = ImageSigner.builder().registry(registry).signer(signer).listener(events::add).build()
                    .sign(SignRequest.builder(image).build());
            assertThat(result.referrerDigest()).isPresent();
            assertThat(events).filteredOn(e -> e.severity() == io.jenkins.plugins.imagetrust.engine.events.ProgressEvent.Severity.WARNING)
                    .extracting(io.jenkins.plugins.imagetrust.engine.events.ProgressEvent::message)
                    .anySatisfy(message -> assertThat(message).contains("entry " + (BundleSignatureReader.MAX_REFERRERS + 1))
                            .contains("will not be seen"));
            assertThat(fallbackIndex(image, digest).size()).isEqualTo(BundleSignatureReader.MAX_REFERRERS + 1);
            // The .sig signature written beside it still makes the image trusted.
            assertThat(verify(image, trusting(1, signer)).trusted()).isTrue();
        }
    }

    @Test
    void aFallbackEntryWithoutArtifactTypeIsStillRead() throws Exception {
        ImageReference image = REGISTRY.reference("noartifacttype/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            SignResult result = sign(image, signer, SignatureFormat.BUNDLE, Map.of());
            String tag = RegistryClient.referrersFallbackTag(digest);
            ObjectNode index = (ObjectNode) JSON.readTree(registry.fetchManifest(image, tag).orElseThrow().bytes());
            ObjectNode entry = (ObjectNode) index.get("manifests").get(0);
            entry.remove("annotations");
            entry.put("artifactType", MediaTypes.OCI_EMPTY); // what cosign's fallback index says (sigstore/cosign#4641)
            ObjectNode bare = entry.deepCopy();
            bare.remove("artifactType");
            ((ArrayNode) index.get("manifests")).removeAll().add(bare);
            registry.pushManifest(image, tag, JSON.writeValueAsBytes(index), MediaTypes.OCI_INDEX);
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.signatures()).singleElement().extracting(SignatureCheck::source).asString()
                    .contains(result.referrerDigest().orElseThrow().toString());
        }
    }

    @Test
    void aTamperedBundleBlobIsRejected() throws Exception {
        ImageReference image = REGISTRY.reference("tamper/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = newSigner()) {
            SignResult result = sign(image, signer, SignatureFormat.BUNDLE, Map.of());
            Digest bundleDigest = result.bundle().orElseThrow().bundleDigest();
            // The registry's storage is changed under it: it now serves other bytes for the bundle's digest.
            Path data = REGISTRY.workDir().resolve("data/docker/registry/v2/blobs/sha256/" + bundleDigest.hex().substring(0, 2) + "/"
                    + bundleDigest.hex() + "/data");
            byte[] bytes = Files.readAllBytes(data);
            bytes[bytes.length - 3] ^= 1;
            Files.write(data, bytes);
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
                assertThat(check.detail()).contains(bundleDigest.toString());
            });
        }
        // A re-signed statement under the original signature: the bytes are intact but no longer signed.
        ImageReference other = REGISTRY.reference("tamper/other:1.0");
        Digest otherDigest = TestImages.push(registry, other);
        try (Signer signer = newSigner()) {
            byte[] statement = InTotoStatement.create(other, otherDigest, Map.of("approved", "no"));
            byte[] signature = signer.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
            byte[] altered = InTotoStatement.create(other, otherDigest, Map.of("approved", "yes"));
            attach(other, registry.resolve(other), SigstoreBundle.createDsse(altered, signature, signer.publicKey()));
            assertThat(verify(other, trusting(1, signer)).signatures()).singleElement()
                    .satisfies(check -> assertThat(check.reason()).contains(RejectionReason.NO_TRUSTED_KEY));
        }
    }

    @Test
    void aStatementForAnotherDigestIsRejected() throws Exception {
        ImageReference image = REGISTRY.reference("wrongsubject/app:1.0");
        TestImages.push(registry, image);
        Digest elsewhere = TestImages.push(registry, REGISTRY.reference("wrongsubject/app:other"));
        try (Signer signer = newSigner()) {
            byte[] statement = InTotoStatement.create(image, elsewhere, Map.of());
            attach(image, registry.resolve(image), dsseBundle(signer, Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.SUBJECT_MISMATCH);
                assertThat(check.keyId()).contains(signer.keyId());
                assertThat(check.detail()).contains(elsewhere.toString());
            });
        }
    }

    @Test
    void anotherImagesReferrerListedInTheIndexIsRejected() throws Exception {
        ImageReference image = REGISTRY.reference("otherimage/app:1.0");
        ImageReference signedOne = REGISTRY.reference("otherimage/app:signed");
        Digest digest = TestImages.push(registry, image);
        Digest signedDigest = TestImages.push(registry, signedOne);
        try (Signer signer = newSigner()) {
            SignResult signed = sign(signedOne, signer, SignatureFormat.BUNDLE, Map.of());
            Manifest referrer = registry.fetchManifest(image, signed.referrerDigest().orElseThrow().toString()).orElseThrow();
            appendToIndex(image, digest, referrer.descriptor(), Map.of());
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.SUBJECT_MISMATCH);
                assertThat(check.detail()).contains(signedDigest.toString());
            });
            assertThat(verify(signedOne, trusting(1, signer)).trusted()).isTrue();
        }
    }

    @Test
    void aBundleByAnUntrustedKeyIsRejected() throws Exception {
        ImageReference image = REGISTRY.reference("untrusted/app:1.0");
        TestImages.push(registry, image);
        try (Signer signer = newSigner(); Signer trusted = newSigner()) {
            sign(image, signer, SignatureFormat.BUNDLE, Map.of());
            VerificationReport report = verify(image, trusting(1, trusted));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.NO_TRUSTED_KEY);
                assertThat(check.format()).isEqualTo(SignatureFormat.BUNDLE);
            });
        }
    }

    @Test
    void malformedBundlesAreRejectedWithTheirReason() throws Exception {
        ImageReference image = REGISTRY.reference("malformed/app:1.0");
        Digest digest = TestImages.push(registry, image);
        Descriptor subject = registry.resolve(image);
        try (Signer signer = newSigner()) {
            byte[] statement = InTotoStatement.create(image, digest, Map.of());
            attach(image, subject, dsseBundle(signer, "application/vnd.cncf.notary.payload+json", statement));
            attach(image, subject, ("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payload\":\"e30=\","
                    + "\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[]}}").getBytes(StandardCharsets.UTF_8));
            attach(image, subject, "not json".getBytes(StandardCharsets.UTF_8));
            String attestation = new String(statement, StandardCharsets.UTF_8).replace(InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE,
                    "https://slsa.dev/provenance/v1");
            attach(image, subject, dsseBundle(signer, Dsse.IN_TOTO_PAYLOAD_TYPE, attestation.getBytes(StandardCharsets.UTF_8)));
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).extracting(s -> s.reason().orElseThrow()).containsExactlyInAnyOrder(
                    RejectionReason.UNKNOWN_PAYLOAD_TYPE, RejectionReason.BAD_DSSE, RejectionReason.MALFORMED_BUNDLE,
                    RejectionReason.WRONG_PREDICATE_TYPE);
            assertThat(report.reason().orElseThrow()).contains("application/vnd.cncf.notary.payload+json").contains("https://slsa.dev/provenance/v1");
        }
    }

    @Test
    void aMessageSignatureOverTheManifestIsAccepted() throws Exception {
        ImageReference image = REGISTRY.reference("message/app:1.0");
        Digest digest = TestImages.push(registry, image);
        Manifest manifest = registry.fetchManifest(image, digest.toString()).orElseThrow();
        try (Signer signer = newSigner()) {
            String bundle = "{\"mediaType\":\"" + MediaTypes.SIGSTORE_BUNDLE + "\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"}},"
                    + "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\""
                    + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digest.hex())) + "\"},\"signature\":\""
                    + Base64.getEncoder().encodeToString(signer.sign(manifest.bytes())) + "\"}}";
            attach(image, registry.resolve(image), bundle.getBytes(StandardCharsets.UTF_8));
            VerificationReport report = verify(image, trusting(1, signer));
            assertThat(report.trusted()).as(report.summary()).isTrue();
            TrustPolicy exact = TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build())
                    .identity(IdentityRule.EXACT_REFERENCE).build();
            assertThat(verify(image, exact).signatures().get(0).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        }
    }

    @Test
    void whatWeWriteHasCosignsLayout(@TempDir Path dir) throws Exception {
        ImageReference image = REGISTRY.reference("layout/app:1.0");
        Digest digest = TestImages.push(registry, image);
        Descriptor subject = registry.resolve(image);
        try (Signer signer = newSigner()) {
            SignResult result = sign(image, signer, SignatureFormat.BUNDLE, Map.of("git", "abc"));
            Manifest referrer = registry.fetchManifest(image, result.referrerDigest().orElseThrow().toString()).orElseThrow();
            assertThat(referrer.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            JsonNode manifest = JSON.readTree(referrer.bytes());
            assertThat(manifest.get("schemaVersion").asInt()).isEqualTo(2);
            assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
            assertThat(manifest.get("artifactType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
            assertThat(manifest.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
            assertThat(manifest.at("/config/digest").asText()).isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
            assertThat(manifest.at("/config/size").asInt()).isEqualTo(2);
            assertThat(registry.fetchBlob(image, Digest.parse(manifest.at("/config/digest").asText()), 16)).isEqualTo("{}".getBytes(StandardCharsets.US_ASCII));
            assertThat(manifest.get("layers")).hasSize(1);
            JsonNode layer = manifest.at("/layers/0");
            assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
            Digest bundleDigest = Digest.parse(layer.get("digest").asText());
            assertThat(layer.at("/annotations/org.opencontainers.image.title").asText()).isEqualTo("sha256-" + bundleDigest.hex() + ".sigstore.json");
            assertThat(manifest.at("/subject/digest").asText()).isEqualTo(digest.toString());
            assertThat(manifest.at("/subject/mediaType").asText()).isEqualTo(subject.mediaType());
            assertThat(manifest.at("/subject/size").asLong()).isEqualTo(subject.size());
            List<String> keys = new ArrayList<>();
            manifest.get("annotations").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("dev.sigstore.bundle.content", "dev.sigstore.bundle.predicateType", "org.opencontainers.image.created");
            assertThat(manifest.at("/annotations/dev.sigstore.bundle.content").asText()).isEqualTo("dsse-envelope");
            assertThat(manifest.at("/annotations/dev.sigstore.bundle.predicateType").asText()).isEqualTo("https://sigstore.dev/cosign/sign/v1");
            assertThat(manifest.at("/annotations/org.opencontainers.image.created").asText()).isEqualTo("2026-11-25T12:00:00Z");

            byte[] bundleBytes = registry.fetchBlob(image, bundleDigest, 65536);
            assertThat(layer.get("size").asLong()).isEqualTo(bundleBytes.length);
            JsonNode bundle = JSON.readTree(bundleBytes);
            List<String> bundleKeys = new ArrayList<>();
            bundle.fieldNames().forEachRemaining(bundleKeys::add);
            assertThat(bundleKeys).containsExactly("mediaType", "verificationMaterial", "dsseEnvelope");
            assertThat(bundle.get("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
            byte[] spkiHash = MessageDigest.getInstance("SHA-256").digest(signer.publicKey().getEncoded());
            assertThat(bundle.at("/verificationMaterial/publicKey/hint").asText()).isEqualTo(Base64.getEncoder().encodeToString(spkiHash));
            assertThat(bundle.at("/dsseEnvelope/payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
            assertThat(bundle.at("/dsseEnvelope/signatures")).hasSize(1);
            byte[] statementBytes = Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText());
            byte[] signature = Base64.getDecoder().decode(bundle.at("/dsseEnvelope/signatures/0/sig").asText());

            JsonNode statement = JSON.readTree(statementBytes);
            List<String> statementKeys = new ArrayList<>();
            statement.fieldNames().forEachRemaining(statementKeys::add);
            assertThat(statementKeys).containsExactly("_type", "subject", "predicateType", "predicate");
            assertThat(statement.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
            assertThat(statement.at("/subject/0/name").asText()).isEqualTo(image.repositoryOnly().name());
            assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo(digest.hex());
            assertThat(statement.at("/subject/0/annotations/git").asText()).isEqualTo("abc");
            assertThat(statement.get("predicateType").asText()).isEqualTo("https://sigstore.dev/cosign/sign/v1");
            assertThat(statement.get("predicate").isObject() && statement.get("predicate").isEmpty()).isTrue();

            // The DSSE signature is a plain ECDSA-SHA256 signature over the PAE: openssl checks it.
            OpenSsl openssl = new OpenSsl(dir);
            Files.writeString(dir.resolve("key.pub"), PublicKeys.toPem(signer.publicKey()));
            byte[] pae = Dsse.pae("application/vnd.in-toto+json", statementBytes);
            assertThat(new String(pae, 0, 39, StandardCharsets.US_ASCII)).isEqualTo("DSSEv1 28 application/vnd.in-toto+json ");
            Files.write(dir.resolve("pae"), pae);
            Files.write(dir.resolve("sig"), signature);
            assertThat(openssl.run("dgst", "-sha256", "-verify", "key.pub", "-signature", "sig", "pae")).contains("Verified OK");
            Files.write(dir.resolve("statement"), statementBytes);
            assertThat(openssl.tryRun("dgst", "-sha256", "-verify", "key.pub", "-signature", "sig", "statement").exitCode()).isNotZero();
        }
    }
}
