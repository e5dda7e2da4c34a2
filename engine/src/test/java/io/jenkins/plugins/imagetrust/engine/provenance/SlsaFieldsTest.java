package io.jenkins.plugins.imagetrust.engine.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlsaFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = PredicateTypes.SLSA_PROVENANCE_V1;
    private static final String V02 = PredicateTypes.SLSA_PROVENANCE_V02;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void ourBuildTypeNamesTheSourceInExternalParameters() {
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        JsonNode predicate = SlsaProvenance.predicate(new JenkinsBuild("https://ci.example/job/app/", "https://ci.example/job/app/1/", "app",
                now, now, Optional.of(new SourceRevision("git+ssh://git@git.example/team/app.git", Optional.empty(),
                        "0123456789abcdef0123456789abcdef01234567")), Map.of(), "2.541.3", "1.0.0", List.of()));

        assertThat(SlsaFields.builderId(V1, predicate)).contains("https://ci.example/job/app/");
        assertThat(SlsaFields.buildType(V1, predicate)).contains(SlsaProvenance.JENKINS_PIPELINE_BUILD_TYPE);
        assertThat(SlsaFields.sourceRepository(V1, predicate)).contains("ssh://git@git.example/team/app.git");
    }

    @Test
    void readsGitHubsProvenanceAsTheSigstoreConformanceSuiteHoldsIt() throws Exception {
        Map<String, String> repositories = Map.of("intoto-with-custom-trust-root", "https://github.com/sigstore/sigstore-conformance",
                "happy-path-intoto-in-dsse-v3", "https://github.com/loosebazooka/aa-test");
        for (Map.Entry<String, String> bundle : repositories.entrySet()) {
            JsonNode envelope = JSON.readTree(InteropFixtures.bytes("sigstore-conformance/cases/" + bundle.getKey() + "/bundle.sigstore.json"))
                    .get("dsseEnvelope");
            JsonNode predicate = JSON.readTree(Base64.getDecoder().decode(envelope.get("payload").asText())).get("predicate");
            assertThat(SlsaFields.sourceRepository(V1, predicate)).as(bundle.getKey()).contains(bundle.getValue());
            assertThat(SlsaFields.builderId(V1, predicate)).isPresent();
        }
    }

    @Test
    void otherV1BuildTypesUseTheFirstGitDependency() throws Exception {
        JsonNode predicate = json("{\"buildDefinition\":{\"buildType\":\"https://other/type\",\"resolvedDependencies\":["
                + "{\"uri\":\"pkg:docker/debian@12\"},{\"uri\":\"git+https://git.example/org/app@refs/tags/v1\"},{\"uri\":\"git+https://git.example/lib\"}]}}");
        assertThat(SlsaFields.sourceRepository(V1, predicate)).contains("https://git.example/org/app");
        assertThat(SlsaFields.sourceRepository(V1, json("{\"buildDefinition\":{\"resolvedDependencies\":{\"uri\":\"git+x\"}}}"))).isEmpty();
        assertThat(SlsaFields.builderId(V1, json("{\"runDetails\":{\"builder\":{\"id\":7}}}"))).isEmpty();
    }

    @Test
    void v02ReadsBuilderBuildTypeAndConfigSourceThenMaterials() throws Exception {
        JsonNode predicate = json("{\"builder\":{\"id\":\"https://builder\"},\"buildType\":\"https://type\","
                + "\"invocation\":{\"configSource\":{\"uri\":\"git+https://github.com/org/app@refs/heads/main\"}},"
                + "\"materials\":[{\"uri\":\"git+https://github.com/org/other\"}]}");
        assertThat(SlsaFields.builderId(V02, predicate)).contains("https://builder");
        assertThat(SlsaFields.buildType(V02, predicate)).contains("https://type");
        assertThat(SlsaFields.sourceRepository(V02, predicate)).contains("https://github.com/org/app");
        JsonNode materialsOnly = json("{\"materials\":[{\"uri\":\"https://not-git\"},{\"uri\":\"git+https://github.com/org/other@v2\"}]}");
        assertThat(SlsaFields.sourceRepository(V02, materialsOnly)).contains("https://github.com/org/other");
        assertThatThrownBy(() -> SlsaFields.builderId(PredicateTypes.SPDX, predicate)).hasMessageContaining("not an SLSA provenance");
    }

    @Test
    void gitUrisSplitAtTheRefAfterThePathStarts() {
        assertThat(SlsaFields.gitRepository("git+https://github.com/o/r@refs/heads/main")).contains("https://github.com/o/r");
        assertThat(SlsaFields.gitRepository("git+ssh://git@host/o/r.git@v1")).contains("ssh://git@host/o/r.git");
        assertThat(SlsaFields.gitRepository("git+git@host:o/r.git@refs/x")).contains("git@host:o/r.git");
        assertThat(SlsaFields.gitRepository("git+https://github.com/o/r")).contains("https://github.com/o/r");
        assertThat(SlsaFields.gitRepository("git+https://user@host")).contains("https://user@host");
        assertThat(SlsaFields.gitRepository("git+")).isEmpty();
        assertThat(SlsaFields.gitRepository("https://github.com/o/r")).isEmpty();
        // the inverse of what SourceRevision writes
        SourceRevision revision = new SourceRevision("https://git.example/a/b.git", Optional.of("refs/heads/x@y"), "0123456789abcdef0123456789abcdef01234567");
        assertThat(SlsaFields.gitRepository(revision.uri())).contains("https://git.example/a/b.git");
    }
}
