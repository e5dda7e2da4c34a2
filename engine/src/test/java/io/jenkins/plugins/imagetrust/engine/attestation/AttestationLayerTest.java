package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttestationLayerTest {

    @Test
    void theLayerHasCosignsMediaTypeAnnotationsAndTheEnvelopeAsItsBlob() throws Exception {
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Envelope envelope = Envelope.signStatement(signer, EnvelopeTest.statement());
            AttestationLayer layer = AttestationLayer.of(envelope);

            assertThat(layer.mediaType()).isEqualTo("application/vnd.dsse.envelope.v1+json");
            assertThat(layer.annotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "dev.cosignproject.cosign/signature", "", "predicateType", "https://slsa.dev/provenance/v1"));
            assertThat(layer.content()).isEqualTo(envelope.toJson());
            assertThat(layer.digest()).isEqualTo(Digest.sha256(envelope.toJson()));
            assertThat(layer.size()).isEqualTo(envelope.toJson().length);
        }
    }

    @Test
    void thePredicateTypeAnnotationComesFromTheSignedStatementOnly() throws Exception {
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Envelope notInToto = Envelope.sign(signer, "text/plain", "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> AttestationLayer.of(notInToto)).hasMessageContaining("not in-toto");
            Envelope garbage = Envelope.signStatement(signer, "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> AttestationLayer.of(garbage)).hasMessageContaining("does not parse");
        }
    }

    @Test
    void theTagAndTheReferrerAnnotations() {
        Digest image = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
        assertThat(AttestationLayer.tag(image)).isEqualTo("sha256-" + image.hex() + ".att");

        assertThat(AttestationLayer.referrerAnnotations(Instant.parse("2026-12-05T08:00:00.750Z"), "https://slsa.dev/provenance/v1"))
                .containsExactly(Map.entry("dev.sigstore.bundle.content", "dsse-envelope"),
                        Map.entry("dev.sigstore.bundle.predicateType", "https://slsa.dev/provenance/v1"),
                        Map.entry("org.opencontainers.image.created", "2026-12-05T08:00:00Z"));
    }
}
