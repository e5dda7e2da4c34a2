package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.provenance.BuildParameter;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A build's sensitive parameters reach no byte Image Trust publishes: statement, envelope, {@code .att} layer, bundle. */
class ProvenanceSecretTest {
    private static final String PASSWORD = "s3cr3t-Deploy-Pa55word-Q7";
    private static final String VISIBLE = "visible-channel-value-K2";

    /** The forms the secret could travel in: as text, JSON-escaped, and base64 at each of the three alignments. */
    private static Map<String, String> secretForms(String secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("plain", secret);
        for (int offset = 0; offset < 3; offset++) {
            String encoded = Base64.getEncoder().encodeToString(("x".repeat(offset) + secret).getBytes(StandardCharsets.UTF_8));
            // drop the characters that also depend on the neighbouring bytes
            forms.put("base64 at offset " + offset, encoded.substring(offset == 0 ? 0 : 4, encoded.length() - 4));
        }
        return forms;
    }

    private static void assertAbsent(byte[] published, String what, String secret) {
        String text = new String(published, StandardCharsets.ISO_8859_1);
        secretForms(secret).forEach((form, value) -> assertThat(text.contains(value)).as(what + " contains the secret (" + form + ")").isFalse());
    }

    private static void assertPresent(byte[] published, String what, String value) {
        String text = new String(published, StandardCharsets.ISO_8859_1);
        Assertions.assertThat(secretForms(value).values().stream().anyMatch(text::contains)).as(what + " carries the visible parameter").isTrue();
    }

    @Test
    void aPasswordParameterIsInNoPublishedByte() throws Exception {
        List<BuildParameter> parameters = List.of(new BuildParameter("DEPLOY_PASSWORD", PASSWORD, true),
                new BuildParameter("CHANNEL", VISIBLE, false));
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        JenkinsBuild build = new JenkinsBuild("https://ci.example/job/app/", "https://ci.example/job/app/7/", "app", now, now, Optional.empty(),
                BuildParameter.publishable(parameters), "2.541.3", "1.0.0", List.of());

        byte[] statement = Statement.write(List.of(Subject.of(StatementTest.IMAGE, StatementTest.AMD64)),
                PredicateTypes.SLSA_PROVENANCE_V1, SlsaProvenance.predicate(build));
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Envelope envelope = Envelope.signStatement(signer, statement);
            AttestationLayer layer = AttestationLayer.of(envelope);
            byte[] bundle = envelope.toBundle(signer.publicKey());
            Map<String, byte[]> published = Map.of("statement", statement, "envelope", envelope.toJson(), "layer", layer.content(),
                    "layer annotations", layer.annotations().toString().getBytes(StandardCharsets.UTF_8), "bundle", bundle);

            published.forEach((what, bytes) -> {
                assertAbsent(bytes, what, PASSWORD);
                assertAbsent(bytes, what, "DEPLOY_PASSWORD");
            });
            // the control: the same paths carry an ordinary parameter, so the checks above can fail
            published.forEach((what, bytes) -> {
                if (!what.equals("layer annotations")) {
                    assertPresent(bytes, what, VISIBLE);
                }
            });
        }
        assertThat(parameters.get(0).toString()).doesNotContain(PASSWORD);
        assertThat(build.toString()).doesNotContain(PASSWORD);
    }
}
