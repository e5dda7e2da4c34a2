package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementTest {
    static final ImageReference IMAGE = ImageReference.parse("registry.example/team/app:1.0");
    static final Digest INDEX = Digest.sha256("index".getBytes(StandardCharsets.UTF_8));
    static final Digest AMD64 = Digest.sha256("amd64".getBytes(StandardCharsets.UTF_8));
    static final Digest ARM64 = Digest.sha256("arm64".getBytes(StandardCharsets.UTF_8));

    static ObjectNode predicate(String builderId) {
        ObjectNode predicate = JsonNodeFactory.instance.objectNode();
        predicate.putObject("buildDefinition").put("buildType", "https://example/type");
        predicate.putObject("runDetails").putObject("builder").put("id", builderId);
        return predicate;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheDocumentedBytes() {
        byte[] statement = Statement.write(List.of(Subject.of(IMAGE, AMD64)), PredicateTypes.SLSA_PROVENANCE_V1,
                predicate("https://ci.example/job/app/"));

        assertThat(new String(statement, StandardCharsets.UTF_8)).isEqualTo("{\"_type\":\"https://in-toto.io/Statement/v1\","
                + "\"subject\":[{\"name\":\"registry.example/team/app\",\"digest\":{\"sha256\":\"" + AMD64.hex() + "\"}}],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"predicate\":{\"buildDefinition\":{\"buildType\":\"https://example/type\"},\"runDetails\":{\"builder\":{\"id\":\"https://ci.example/job/app/\"}}}}");
    }

    @Test
    void anIndexIsTheFirstSubjectThenEachPlatformManifestInOrder() throws Exception {
        List<Subject> subjects = Statement.subjectsForIndex(IMAGE, INDEX, List.of(ARM64, AMD64));
        Statement parsed = Statement.parse(Statement.write(subjects, PredicateTypes.SLSA_PROVENANCE_V1, predicate("b")));

        assertThat(parsed.subjects()).extracting(s -> s.digests().get("sha256")).containsExactly(INDEX.hex(), ARM64.hex(), AMD64.hex());
        assertThat(parsed.subjects()).allSatisfy(s -> assertThat(s.name()).contains("registry.example/team/app"));
        assertThat(parsed.names(ARM64)).isTrue();
        assertThat(parsed.names(Digest.sha256(bytes("other")))).isFalse();
    }

    @Test
    void oneInputGivesOneByteSequenceAndItParsesBackToTheSameFacts() throws Exception {
        ObjectNode predicate = (ObjectNode) Statement.readPredicate(bytes("{\"b\":1.10,\"a\":[1e400,\"\\u00e9\\n\"],\"big\":123456789012345678901234567890}"));
        byte[] first = Statement.write(List.of(Subject.of(IMAGE, AMD64)), PredicateTypes.SPDX, predicate);
        byte[] second = Statement.write(List.of(Subject.of(IMAGE, AMD64)), PredicateTypes.SPDX, predicate.deepCopy());

        assertThat(second).isEqualTo(first);
        Statement parsed = Statement.parse(first);
        assertThat(parsed.predicate()).isEqualTo(predicate);
        // members keep their order, numbers stay exact
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("\"predicate\":{\"b\":1.10,\"a\":[1E+400,\"é\\n\"],\"big\":123456789012345678901234567890}");
    }

    @Test
    void readsCosignsV01StatementsAndStatementsRealToolsSigned() throws Exception {
        // cosign attest writes _type v0.1 (pkg/cosign/attestation/attestation.go)
        Statement cosign = Statement.parse(bytes("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\","
                + "\"subject\":[{\"name\":\"registry.example/team/app\",\"digest\":{\"sha256\":\"" + AMD64.hex() + "\"}}],\"predicate\":{\"builder\":{\"id\":\"x\"}}}"));
        assertThat(cosign.type()).isEqualTo(Statement.TYPE_V01);
        assertThat(cosign.names(AMD64)).isTrue();

        // DSSE payloads of the Sigstore conformance suite (GitHub's provenance, pretty-printed and compact)
        for (String bundle : List.of("intoto-with-custom-trust-root", "happy-path-intoto-in-dsse-v3", "rekor2-dsse-happy-path")) {
            JsonNode envelope = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(InteropFixtures.bytes("sigstore-conformance/cases/" + bundle + "/bundle.sigstore.json")).get("dsseEnvelope");
            Statement real = Statement.parse(Base64.getDecoder().decode(envelope.get("payload").asText()));
            assertThat(real.predicateType()).isEqualTo(PredicateTypes.SLSA_PROVENANCE_V1);
            assertThat(real.predicate().get("runDetails").get("builder").get("id").isTextual()).isTrue();
        }
    }

    @Test
    void subjectAnnotationsAreReadAsCosignWritesThemAndWrittenBack() throws Exception {
        // cosign's own image signature statement: annotations on a subject without name
        Statement cosign = Statement.parse(io.jenkins.plugins.imagetrust.engine.cosign.InTotoStatement.create(IMAGE, AMD64, Map.of("git", "abc")));
        assertThat(cosign.subjects().get(0).annotations()).containsExactly(Map.entry("git", "abc"));

        Subject annotated = new Subject(Optional.of("r"), Map.of("sha256", AMD64.hex()), Map.of("b", "2", "a", "1"));
        byte[] written = Statement.write(List.of(annotated), PredicateTypes.SPDX, predicate("x"));
        assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"digest\":{\"sha256\":\"" + AMD64.hex() + "\"},\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(Statement.parse(written).subjects()).containsExactly(annotated);
        assertThatThrownBy(() -> Statement.parse(bytes("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"a\"},"
                + "\"annotations\":[]}],\"predicateType\":\"p\"}"))).hasMessageContaining("annotations are not an object");
    }

    @Test
    void aMissingPredicateIsAnEmptyObjectAndUnknownMembersAreIgnored() throws Exception {
        Statement parsed = Statement.parse(bytes("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"ab\"}}],"
                + "\"predicateType\":\"https://example/p\",\"future\":true}"));
        assertThat(parsed.predicate().isEmpty()).isTrue();
        assertThat(parsed.subjects().get(0).name()).isEmpty();
    }

    @Test
    void theParserRefusesWhatIsNotAStatementWithOneLineReasons() {
        String subject = "\"subject\":[{\"digest\":{\"sha256\":\"" + AMD64.hex() + "\"}}]";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "not a JSON object");
        cases.put("[]", "not a JSON object");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"p\"} {}", "not JSON");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"https://in-toto.io/Statement/v1\"," + subject
                + ",\"predicateType\":\"p\"}", "Duplicate field '_type'");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v2\"," + subject + ",\"predicateType\":\"p\"}", "_type");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + "}", "no predicateType");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"\"}", "no predicateType");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"p\"}", "no subject");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\"}],\"predicateType\":\"p\"}", "no digest");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":1}}],\"predicateType\":\"p\"}", "not a non-empty string");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":7,\"digest\":{\"sha256\":\"a\"}}],\"predicateType\":\"p\"}", "name is not a string");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"p\",\"predicate\":\"text\"}", "predicate is not a JSON object");
        cases.put("{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"p\",\"predicate\":"
                + "[".repeat(80) + "]".repeat(80) + "}", "not JSON");
        cases.forEach((text, expected) -> assertThatThrownBy(() -> Statement.parse(bytes(text)))
                .as(text).isInstanceOfSatisfying(AttestationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AttestationReason.STATEMENT_MALFORMED);
                    assertThat(e.getMessage()).contains(expected).doesNotContain("\n");
                }));
    }

    @Test
    void sizesAreCappedAndTheControlsJustBelowTheCapsParse() throws Exception {
        String digest = "{\"digest\":{\"sha256\":\"" + AMD64.hex() + "\"}}";
        String many = String.join(",", java.util.Collections.nCopies(Statement.MAX_SUBJECTS, digest));
        String head = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"p\",\"subject\":[";
        assertThat(Statement.parse(bytes(head + many + "]}")).subjects()).hasSize(Statement.MAX_SUBJECTS);
        assertThatThrownBy(() -> Statement.parse(bytes(head + many + "," + digest + "]}"))).hasMessageContaining("at most 256");

        String padding = "x".repeat(Statement.MAX_BYTES - 200);
        byte[] fits = bytes(head + digest + "],\"predicate\":{\"pad\":\"" + padding + "\"}}");
        assertThat(fits.length).isLessThanOrEqualTo(Statement.MAX_BYTES);
        assertThat(Statement.parse(fits).predicate().get("pad").asText()).hasSize(padding.length());
        byte[] over = bytes(head + digest + "],\"predicate\":{\"pad\":\"" + padding + "x".repeat(300) + "\"}}");
        assertThatThrownBy(() -> Statement.parse(over)).hasMessageContaining("at most " + Statement.MAX_BYTES);

        String deep = "{\"a\":".repeat(60) + "1" + "}".repeat(60);
        assertThat(Statement.parse(bytes(head + digest + "],\"predicate\":" + deep + "}")).predicate().has("a")).isTrue();
    }

    @Test
    void theWriterRefusesWhatTheParserWouldRefuse() {
        List<Subject> one = List.of(Subject.of(IMAGE, AMD64));
        assertThatThrownBy(() -> Statement.write(one, "slsaprovenance1", predicate("b"))).hasMessageContaining("https://slsa.dev/provenance/v1");
        assertThatThrownBy(() -> Statement.write(one, "not a uri", predicate("b"))).hasMessageContaining("neither");
        assertThatThrownBy(() -> Statement.write(List.of(), PredicateTypes.SPDX, predicate("b"))).hasMessageContaining("subjects");
        assertThatThrownBy(() -> Statement.write(one, PredicateTypes.SPDX, JsonNodeFactory.instance.arrayNode())).hasMessageContaining("object");
        ObjectNode deep = JsonNodeFactory.instance.objectNode();
        ObjectNode cursor = deep;
        for (int i = 0; i < 70; i++) {
            cursor = cursor.putObject("a");
        }
        assertThatThrownBy(() -> Statement.write(one, PredicateTypes.SPDX, deep)).hasMessageContaining("would not be readable");
        assertThat(new Subject(Optional.empty(), Map.of("sha512", "ab")).names(AMD64)).isFalse();
    }

    @Test
    void predicateFilesAreReadStrictly() {
        assertThatThrownBy(() -> Statement.readPredicate(bytes("{\"a\":1,\"a\":2}"))).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> Statement.readPredicate(bytes("{} x"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Statement.readPredicate(bytes("[1]"))).hasMessageContaining("not a JSON object");
        assertThat(Statement.readPredicate(bytes("{\"spdxVersion\":\"SPDX-2.3\"}")).get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    }
}
