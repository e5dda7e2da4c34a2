package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.verify.PolicyEvaluator;
import io.jenkins.plugins.imagetrust.engine.verify.Verdict;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks C1–C9 and C12 of shared/interop/README.md, on the exact bytes skopeo wrote. */
class CosignInteropTest {
    private static final Digest IMAGE_DIGEST = Digest.parse("sha256:adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a");
    private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5001/lab/sigstore:signed");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    private static PublicKey key(String file) throws Exception {
        return PublicKeys.parse(InteropFixtures.text("cosign/" + file));
    }

    private static List<SignatureCandidate> candidates(String manifestFile, String... payloadFiles) throws Exception {
        SignatureManifest manifest = SignatureManifest.parse(InteropFixtures.bytes("cosign/" + manifestFile));
        List<SignatureCandidate> out = new ArrayList<>();
        for (SignatureManifest.Layer layer : manifest.layers()) {
            byte[] payload = InteropFixtures.bytes("cosign/" + payloadFiles[layer.index()]);
            assertThat(layer.digest()).contains(Digest.sha256(payload));
            assertThat(layer.size()).isEqualTo(payload.length);
            out.add(SimpleSigningPayload.candidate("interop#" + layer.index(), Digest.sha256(payload), payload, layer.signature().orElseThrow()));
        }
        return out;
    }

    private static VerificationReport evaluate(TrustPolicy policy, Digest digest, List<SignatureCandidate> candidates) {
        return new PolicyEvaluator(policy, CLOCK).evaluate(IMAGE, digest, candidates);
    }

    private static TrustPolicy trusting(String... pubFiles) throws Exception {
        TrustPolicy.Builder builder = TrustPolicy.builder();
        for (String file : pubFiles) {
            builder.key(TrustedKey.builder(file, key(file)).build());
        }
        return builder.build();
    }

    @Test
    void c1ToC3c5TheArtefactsAreConsistent() throws Exception {
        byte[] manifestBytes = InteropFixtures.bytes("cosign/signature-manifest.json");
        JsonNode manifest = new ObjectMapper().readTree(manifestBytes);
        byte[] payload = InteropFixtures.bytes("cosign/signature-payload.json");
        byte[] config = InteropFixtures.bytes("cosign/signature-config.json");
        assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo("sha256:691caa45ef90282a2b55df017de8a0704b90e1b30d7b3d27cc82ce5b94fd2486")
                .isEqualTo(Digest.sha256(payload).toString());
        assertThat(manifest.at("/config/digest").asText()).isEqualTo(Digest.sha256(config).toString());
        assertThat(manifest.at("/layers/0/annotations/dev.cosignproject.cosign~1signature").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(InteropFixtures.bytes("cosign/signature.der")));
        assertThat(Digest.sha256(manifestBytes).toString())
                .isEqualTo("sha256:03dd14567632b919a26ffecc42bb8acc964d712676b8d666e2cd40573594e94c");
    }

    @Test
    void ourConfigBlobIsByteIdenticalToContainersImage() throws Exception {
        SignatureManifest one = SignatureManifest.parse(InteropFixtures.bytes("cosign/signature-manifest.json"));
        assertThat(new String(one.configBlob(), StandardCharsets.UTF_8)).isEqualTo(InteropFixtures.text("cosign/signature-config.json"));
        SignatureManifest two = SignatureManifest.parse(InteropFixtures.bytes("cosign/signature-manifest-2sigs.json"));
        assertThat(new String(two.configBlob(), StandardCharsets.UTF_8)).isEqualTo(InteropFixtures.text("cosign/signature-config-2sigs.json"));
    }

    @Test
    void appendingAfterTheInteropLayerKeepsItByteForByteAndHasTheSameStructure() throws Exception {
        ObjectMapper json = new ObjectMapper();
        byte[] served = InteropFixtures.bytes("cosign/signature-manifest.json");
        SignatureManifest appended = SignatureManifest.parse(served).withSignature(Digest.sha256(new byte[] {1}), 1, new byte[] {9, 9});
        byte[] config = appended.configBlob();
        JsonNode ours = json.readTree(appended.toBytes(Digest.sha256(config), config.length));
        JsonNode theirs = json.readTree(served);
        assertThat(ours.at("/layers/0")).isEqualTo(theirs.at("/layers/0"));
        assertThat(ours.at("/layers/1").fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.at("/layers/0").fieldNames());
        assertThat(ours.fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.fieldNames());
        assertThat(ours.at("/config").fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.at("/config").fieldNames());
        assertThat(ours.at("/mediaType").asText()).isEqualTo(theirs.at("/mediaType").asText());
        assertThat(ours.at("/config/mediaType").asText()).isEqualTo(theirs.at("/config/mediaType").asText());
    }

    @Test
    void c4TheSkopeoSignatureVerifies() throws Exception {
        VerificationReport report = evaluate(trusting("signing-key.pub"), IMAGE_DIGEST, candidates("signature-manifest.json", "signature-payload.json"));
        assertThat(report.verdict()).isEqualTo(Verdict.TRUSTED);
        assertThat(report.signatures()).singleElement().satisfies(s -> {
            assertThat(s.counted()).isTrue();
            assertThat(s.keyName()).contains("signing-key.pub");
            assertThat(s.annotations()).containsEntry("creator", "containers/image 5.22.1");
        });
    }

    @Test
    void c6AnotherKeyDoesNotVerifyIt() throws Exception {
        VerificationReport report = evaluate(trusting("skopeo-generated.pub"), IMAGE_DIGEST, candidates("signature-manifest.json", "signature-payload.json"));
        assertThat(report.verdict()).isEqualTo(Verdict.THRESHOLD_NOT_MET);
        assertThat(report.signatures().get(0).reason()).contains(RejectionReason.NO_TRUSTED_KEY);
    }

    @Test
    void c7OneChangedByteOrAReserialisedPayloadFails() throws Exception {
        byte[] payload = InteropFixtures.bytes("cosign/signature-payload.json");
        byte[] signature = InteropFixtures.bytes("cosign/signature.der");
        byte[] tampered = payload.clone();
        tampered[tampered.length - 3] ^= 1;
        byte[] pretty = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(new ObjectMapper().readTree(payload));
        for (byte[] altered : List.of(tampered, pretty)) {
            VerificationReport report = evaluate(trusting("signing-key.pub"), IMAGE_DIGEST,
                    List.of(SimpleSigningPayload.candidate("x", Digest.sha256(altered), altered, signature)));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures().get(0).reason()).contains(RejectionReason.NO_TRUSTED_KEY);
        }
        assertThat(SignatureVerifier.verify(key("signing-key.pub"), SignatureScheme.ECDSA_SHA256, payload, signature)).isTrue();
    }

    @Test
    void c8AValidSignatureForAnotherDigestDoesNotBindThisImage() throws Exception {
        Digest other = Digest.parse("sha256:2a06dc9133ea090d9cd7a9c7a61e37e58640d4860d4475152e40fdaf923f87b9");
        VerificationReport report = evaluate(trusting("signing-key.pub"), other, candidates("signature-manifest.json", "signature-payload.json"));
        assertThat(report.trusted()).isFalse();
        assertThat(report.signatures().get(0).reason()).contains(RejectionReason.DIGEST_MISMATCH);
        assertThat(report.signatures().get(0).detail()).contains(IMAGE_DIGEST.toString()).contains(other.toString());
    }

    @Test
    void c9TwoSignaturesEachUnderItsOwnKey() throws Exception {
        List<SignatureCandidate> both = candidates("signature-manifest-2sigs.json", "signature-payload.json", "signature-payload-2.json");
        VerificationReport first = evaluate(trusting("signing-key.pub"), IMAGE_DIGEST, both);
        assertThat(first.trusted()).isTrue();
        assertThat(first.signatures()).extracting(s -> s.counted()).containsExactly(true, false);
        VerificationReport second = evaluate(trusting("skopeo-generated.pub"), IMAGE_DIGEST, both);
        assertThat(second.signatures()).extracting(s -> s.counted()).containsExactly(false, true);
        VerificationReport twoOfTwo = evaluate(trusting("signing-key.pub", "skopeo-generated.pub").toBuilder().threshold(2).build(),
                IMAGE_DIGEST, both);
        assertThat(twoOfTwo.trusted()).isTrue();
        assertThat(twoOfTwo.countedKeys()).hasSize(2);
    }

    @Test
    void c12ThePayloadParses() throws Exception {
        SimpleSigningPayload payload = SimpleSigningPayload.parse(InteropFixtures.bytes("cosign/signature-payload.json"));
        assertThat(payload.dockerReference()).isEqualTo("127.0.0.1:5001/lab/sigstore:signed");
        assertThat(payload.manifestDigest()).isEqualTo(IMAGE_DIGEST);
        assertThat(payload.optional().get("timestamp").isIntegralNumber()).isTrue();
        assertThat(payload.annotations()).containsEntry("creator", "containers/image 5.22.1").doesNotContainKey("timestamp");
    }

    @Test
    void c13OurSignatureWithTheInteropKeyVerifiesAndOurPayloadHasTheirCriticalStructure() throws Exception {
        byte[] ours = SimpleSigningPayload.create(IMAGE, IMAGE_DIGEST, Map.of());
        byte[] signature;
        try (Signer signer = PrivateKeys.loadSigner(InteropFixtures.bytes("cosign/signing-key.cosign.key"), "sigstore-pass".toCharArray())) {
            signature = signer.sign(ours);
        }
        VerificationReport report = evaluate(trusting("signing-key.pub"), IMAGE_DIGEST,
                List.of(SimpleSigningPayload.candidate("ours", Digest.sha256(ours), ours, signature)));
        assertThat(report.trusted()).isTrue();
        ObjectMapper json = new ObjectMapper();
        JsonNode theirs = json.readTree(InteropFixtures.bytes("cosign/signature-payload.json")).get("critical");
        JsonNode mine = json.readTree(ours).get("critical");
        assertThat(mine.fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.fieldNames());
        assertThat(mine.get("type")).isEqualTo(theirs.get("type"));
        assertThat(mine.get("image")).isEqualTo(theirs.get("image"));
        // cosign writes the repository without the tag; containers/image wrote it with the tag
        assertThat(mine.at("/identity/docker-reference").asText()).isEqualTo("127.0.0.1:5001/lab/sigstore");
    }

    @Test
    void identityRulesAgainstATaggedSignedReference() throws Exception {
        List<SignatureCandidate> one = candidates("signature-manifest.json", "signature-payload.json");
        TrustPolicy exact = trusting("signing-key.pub").toBuilder().identity(IdentityRule.EXACT_REFERENCE).build();
        assertThat(new PolicyEvaluator(exact, CLOCK).evaluate(IMAGE, IMAGE_DIGEST, one).trusted()).isTrue();
        VerificationReport alias = new PolicyEvaluator(exact, CLOCK).evaluate(ImageReference.parse("127.0.0.1:5001/lab/sigstore:alias"), IMAGE_DIGEST, one);
        assertThat(alias.signatures().get(0).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        VerificationReport otherRepo = new PolicyEvaluator(trusting("signing-key.pub"), CLOCK)
                .evaluate(ImageReference.parse("127.0.0.1:5001/lab/copy:signed"), IMAGE_DIGEST, one);
        assertThat(otherRepo.signatures().get(0).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        TrustPolicy ignore = trusting("signing-key.pub").toBuilder().identity(IdentityRule.IGNORE).build();
        assertThat(new PolicyEvaluator(ignore, CLOCK).evaluate(ImageReference.parse("127.0.0.1:5001/lab/copy:x"), IMAGE_DIGEST, one).trusted()).isTrue();
    }

    @Test
    void requiredAnnotationsAreChecked() throws Exception {
        List<SignatureCandidate> one = candidates("signature-manifest.json", "signature-payload.json");
        TrustPolicy wantsCreator = trusting("signing-key.pub").toBuilder().requiredAnnotation("creator", "containers/image 5.22.1").build();
        assertThat(evaluate(wantsCreator, IMAGE_DIGEST, one).trusted()).isTrue();
        TrustPolicy wantsGit = trusting("signing-key.pub").toBuilder().requiredAnnotations(Map.of("git", "abc")).build();
        VerificationReport report = evaluate(wantsGit, IMAGE_DIGEST, one);
        assertThat(report.signatures().get(0).reason()).contains(RejectionReason.MISSING_ANNOTATION);
        assertThat(report.signatures().get(0).detail()).contains("'git' is absent");
    }
}
