package io.jenkins.plugins.imagetrust.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyException;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyFiles;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every parser of untrusted input either returns a value or throws its own documented exception: never another
 * exception, never a hang. In a normal build the seeds under {@code src/test/resources/.../ParserFuzzTestInputs/}
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

    @FuzzTest
    void simpleSigningPayloads(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            SimpleSigningPayload payload = SimpleSigningPayload.parse(bytes);
            assertThat(payload.manifestDigest()).isNotNull();
            assertThat(payload.dockerReference()).isNotNull();
        } catch (SimpleSigningPayload.PayloadException e) {
            assertThat(e.reason()).isNotNull();
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

    @FuzzTest
    void signatureManifests(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        SignatureManifest manifest;
        try {
            manifest = SignatureManifest.parse(bytes);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(manifest.size()).isLessThanOrEqualTo(SignatureManifest.MAX_LAYERS);
        for (SignatureManifest.Layer layer : manifest.layers()) {
            layer.digest();
            layer.signature();
            layer.mediaType();
            layer.size();
        }
        manifest.configBlob();
    }

    @FuzzTest
    void policyFiles(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            PolicyFiles.parse(text, null);
        } catch (PolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
