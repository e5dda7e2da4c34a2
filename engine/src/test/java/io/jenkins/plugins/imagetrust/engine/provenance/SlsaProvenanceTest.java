package io.jenkins.plugins.imagetrust.engine.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlsaProvenanceTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final Instant STARTED = Instant.parse("2026-12-04T10:15:30Z");
    private static final Instant FINISHED = Instant.parse("2026-12-04T10:17:02.250Z");

    private static JenkinsBuild build(Optional<SourceRevision> source, Map<String, String> parameters, List<BaseImage> baseImages) {
        return new JenkinsBuild("https://ci.example/job/team/job/app/", "https://ci.example/job/team/job/app/42/", "team/app", STARTED,
                FINISHED, source, parameters, "2.541.3", "1.0.0", baseImages);
    }

    @Test
    void aBuildWithSourceParametersAndABaseImageFillsEveryField() {
        Digest base = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("TARGET", "prod");
        parameters.put("CHANNEL", "stable");

        JsonNode predicate = SlsaProvenance.predicate(build(
                Optional.of(new SourceRevision("https://git.example/team/app.git", Optional.of("refs/heads/main"), COMMIT)), parameters,
                List.of(new BaseImage("registry.example/base/debian", base))));

        JsonNode definition = predicate.get("buildDefinition");
        assertThat(definition.get("buildType").asText()).isEqualTo(SlsaProvenance.JENKINS_PIPELINE_BUILD_TYPE);
        JsonNode external = definition.get("externalParameters");
        assertThat(external.get("job").asText()).isEqualTo("team/app");
        assertThat(external.get("source").get("repository").asText()).isEqualTo("https://git.example/team/app.git");
        assertThat(external.get("source").get("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(external.get("source").get("commit").asText()).isEqualTo(COMMIT);
        assertThat(external.get("parameters").fieldNames()).toIterable().containsExactly("CHANNEL", "TARGET");
        assertThat(definition.get("internalParameters").get("jenkinsVersion").asText()).isEqualTo("2.541.3");
        assertThat(definition.get("internalParameters").get("imageTrustVersion").asText()).isEqualTo("1.0.0");
        JsonNode dependencies = definition.get("resolvedDependencies");
        assertThat(dependencies).hasSize(2);
        assertThat(dependencies.get(0).get("uri").asText()).isEqualTo("git+https://git.example/team/app.git@refs/heads/main");
        assertThat(dependencies.get(0).get("digest").get("gitCommit").asText()).isEqualTo(COMMIT);
        assertThat(dependencies.get(1).get("uri").asText()).isEqualTo("registry.example/base/debian");
        assertThat(dependencies.get(1).get("digest").get("sha256").asText()).isEqualTo(base.hex());

        JsonNode run = predicate.get("runDetails");
        assertThat(run.get("builder").get("id").asText()).isEqualTo("https://ci.example/job/team/job/app/");
        assertThat(run.get("metadata").get("invocationId").asText()).isEqualTo("https://ci.example/job/team/job/app/42/");
        assertThat(run.get("metadata").get("startedOn").asText()).isEqualTo("2026-12-04T10:15:30Z");
        assertThat(run.get("metadata").get("finishedOn").asText()).isEqualTo("2026-12-04T10:17:02.250Z");
    }

    @Test
    void aBuildWithoutSourceOrParametersLeavesThoseMembersOut() {
        JsonNode predicate = SlsaProvenance.predicate(build(Optional.empty(), Map.of(), List.of()));

        JsonNode definition = predicate.get("buildDefinition");
        assertThat(definition.get("externalParameters").fieldNames()).toIterable().containsExactly("job");
        assertThat(definition.has("resolvedDependencies")).isFalse();
    }

    @Test
    void oneBuildGivesOneByteSequenceWhateverTheParameterOrder() {
        Map<String, String> forwards = new LinkedHashMap<>();
        forwards.put("A", "1");
        forwards.put("B", "2");
        Map<String, String> backwards = new LinkedHashMap<>();
        backwards.put("B", "2");
        backwards.put("A", "1");

        assertThat(SlsaProvenance.predicate(build(Optional.empty(), forwards, List.of())).toString())
                .isEqualTo(SlsaProvenance.predicate(build(Optional.empty(), backwards, List.of())).toString());
    }

    @Test
    void aRefIsOptionalAndAGitPlusRepositoryIsNotPrefixedTwice() {
        assertThat(new SourceRevision("git+ssh://git.example/app", Optional.empty(), COMMIT).uri()).isEqualTo("git+ssh://git.example/app");
        assertThat(new SourceRevision("https://git.example/app", Optional.of("refs/tags/v1"), COMMIT).uri())
                .isEqualTo("git+https://git.example/app@refs/tags/v1");
    }

    @Test
    void badFactsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> new SourceRevision("https://git.example/app", Optional.empty(), "main"))
                .hasMessage("source commit 'main' is not a git commit id (40 or 64 lower-case hex digits)");
        assertThatThrownBy(() -> new JenkinsBuild("job/app/", "https://ci.example/job/app/1/", "app", STARTED, FINISHED, Optional.empty(),
                Map.of(), "2.541.3", "1.0.0", List.of()))
                .hasMessage("the builder id 'job/app/' is not an absolute URI (is Jenkins' root URL set?)");
        assertThatThrownBy(() -> new JenkinsBuild("https://ci.example/job/app/", "https://ci.example/job/app/1/", "app", FINISHED, STARTED,
                Optional.empty(), Map.of(), "2.541.3", "1.0.0", List.of()))
                .hasMessageStartingWith("the build finished (2026-12-04T10:15:30Z) before it started");
    }

    @Test
    void predicateTypesByCosignsShortNamesOrAsUris() {
        assertThat(PredicateTypes.resolve("slsaprovenance1")).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(PredicateTypes.resolve("SPDXJSON")).isEqualTo("https://spdx.dev/Document");
        assertThat(PredicateTypes.resolve("cyclonedx")).isEqualTo("https://cyclonedx.org/bom");
        assertThat(PredicateTypes.resolve("https://example.com/predicate/v2")).isEqualTo("https://example.com/predicate/v2");
        assertThatThrownBy(() -> PredicateTypes.resolve("slsa provenance"))
                .hasMessageStartingWith("predicate type \"slsa provenance\" is neither one of custom, cyclonedx, link,");
        assertThatThrownBy(() -> PredicateTypes.resolve("spdx-json")).hasMessageEndingWith("nor an absolute URI");
    }
}
