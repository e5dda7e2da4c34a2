package io.jenkins.plugins.imagetrust.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyException;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyFiles;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every parser of untrusted input either returns a value or throws its own documented exception: never another
 * exception, never a hang. What parses also survives a round trip through the matching writer (parse → bytes → parse
 * gives the same value), so a writer that drops or changes something is caught. In a normal build the seeds under {@code src/test/resources/.../ParserFuzzTestInputs/}
 * run as regression tests; {@code JAZZER_FUZZ=1} fuzzes for real (docs/security.md).
 */
class ParserFuzzTest {

    @FuzzTest
    void imageReferences(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            assertThat(e.getMessage()).startsWith("invalid image reference");
            return;
        }
        // normalising is idempotent: the canonical form parses to the same reference
        assertThat(ImageReference.parse(parsed.toString())).isEqualTo(parsed);
        assertThat(parsed.name().length()).isLessThanOrEqualTo(255);
    }

    /**
     * A payload that parses and that {@code create} can express (a canonical repository name, string annotations
     * only) is written back and parses to the same facts; any other parses the same way twice.
     */
    @FuzzTest
    void simpleSigningPayloads(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        SimpleSigningPayload payload;
        try {
            payload = SimpleSigningPayload.parse(bytes);
        } catch (MalformedSignatureException e) {
            assertThat(e.reason()).isNotNull();
            return;
        }
        assertSameFacts(SimpleSigningPayload.parse(bytes), payload);
        Optional<ImageReference> repository = canonicalRepository(payload.dockerReference());
        if (repository.isPresent() && payload.annotations().size() == payload.optional().size()) {
            byte[] written = SimpleSigningPayload.create(repository.get(), payload.manifestDigest(), payload.annotations());
            assertSameFacts(SimpleSigningPayload.parse(written), payload);
        }
    }

    private static void assertSameFacts(SimpleSigningPayload actual, SimpleSigningPayload expected) {
        assertThat(actual.dockerReference()).isEqualTo(expected.dockerReference());
        assertThat(actual.manifestDigest()).isEqualTo(expected.manifestDigest());
        assertThat(actual.optional()).isEqualTo(expected.optional());
    }

    /** The repository {@code text} names, when {@code text} is its canonical name (what {@code create} writes). */
    private static Optional<ImageReference> canonicalRepository(String text) {
        try {
            ImageReference reference = ImageReference.parse(text);
            return reference.name().equals(text) ? Optional.of(reference) : Optional.empty();
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }

    @FuzzTest
    void payloadsWeWriteParseBackToTheSameFacts(FuzzedDataProvider data) throws Exception {
        Map<String, String> annotations = new TreeMap<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) {
            annotations.put(data.consumeString(20), data.consumeString(40));
        }
        Digest digest = Digest.sha256(data.consumeRemainingAsBytes());
        ImageReference repository = ImageReference.parse("127.0.0.1:5000/fuzz/app");
        SimpleSigningPayload parsed = SimpleSigningPayload.parse(SimpleSigningPayload.create(repository, digest, annotations));
        assertThat(parsed.manifestDigest()).isEqualTo(digest);
        assertThat(parsed.dockerReference()).isEqualTo(repository.name());
        assertThat(parsed.annotations()).isEqualTo(annotations);
    }

    /**
     * A manifest that parses is written back (with its config blob) and parses to the same layers, and writing that
     * again gives the same bytes.
     */
    @FuzzTest
    void signatureManifests(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        SignatureManifest manifest;
        try {
            manifest = SignatureManifest.parse(bytes);
        } catch (MalformedDocumentException e) {
            return;
        }
        assertThat(manifest.size()).isLessThanOrEqualTo(SignatureManifest.MAX_LAYERS);
        byte[] written = write(manifest);
        SignatureManifest reparsed = SignatureManifest.parse(written);
        assertThat(reparsed.size()).isEqualTo(manifest.size());
        for (int i = 0; i < manifest.size(); i++) {
            SignatureManifest.Layer before = manifest.layers().get(i);
            SignatureManifest.Layer after = reparsed.layers().get(i);
            assertThat(after.mediaType()).isEqualTo(before.mediaType());
            assertThat(after.digest()).isEqualTo(before.digest());
            assertThat(after.size()).isEqualTo(before.size());
            assertThat(after.signature().map(Base64.getEncoder()::encodeToString))
                    .isEqualTo(before.signature().map(Base64.getEncoder()::encodeToString));
        }
        assertThat(reparsed.configBlob()).isEqualTo(manifest.configBlob());
        assertThat(write(reparsed)).isEqualTo(written);
    }

    private static byte[] write(SignatureManifest manifest) {
        byte[] config = manifest.configBlob();
        return manifest.toBytes(Digest.sha256(config), config.length);
    }

    /**
     * A policy file that parses is written in the documented format, as JSON and as YAML, and each parses back to the
     * same policy.
     */
    @FuzzTest
    void policyFiles(FuzzedDataProvider data) throws Exception {
        String text = data.consumeRemainingAsString();
        TrustPolicy policy;
        try {
            policy = PolicyFiles.parse(text, null);
        } catch (PolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        ObjectNode tree = PolicyFiles.toTree(policy);
        assertThat(PolicyFiles.toTree(PolicyFiles.parse(PolicyFiles.toJson(policy), null))).isEqualTo(tree);
        assertThat(PolicyFiles.toTree(PolicyFiles.parse(PolicyFiles.toYaml(policy), null))).isEqualTo(tree);
    }
}
