package io.jenkins.plugins.imagetrust.engine.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import java.util.Optional;

/**
 * The few facts a policy reads from an SLSA provenance predicate, for SLSA v1 ({@link PredicateTypes#SLSA_PROVENANCE_V1},
 * slsa.dev/spec/v1.1/provenance) and v0.2 ({@link PredicateTypes#SLSA_PROVENANCE_V02}, slsa.dev/provenance/v0.2). A
 * field that is absent or not a string is empty: a rule on it then fails, never passes.
 *
 * <table>
 *   <caption>Where each fact is read</caption>
 *   <tr><th>fact</th><th>SLSA v1</th><th>SLSA v0.2</th></tr>
 *   <tr><td>builder id</td><td>{@code runDetails.builder.id}</td><td>{@code builder.id}</td></tr>
 *   <tr><td>build type</td><td>{@code buildDefinition.buildType}</td><td>{@code buildType}</td></tr>
 *   <tr><td>source repository</td>
 *       <td>by build type: ours ({@link SlsaProvenance#JENKINS_PIPELINE_BUILD_TYPE}) {@code externalParameters.source.repository};
 *           GitHub Actions ({@link #GITHUB_WORKFLOW_BUILD_TYPE}, {@link #GITHUB_ARTIFACT_ATTESTATION_BUILD_TYPE})
 *           {@code externalParameters.workflow.repository};
 *           any other: the repository of the first git entry of {@code resolvedDependencies}</td>
 *       <td>the repository of {@code invocation.configSource.uri} when it is a git URI, else of the first git entry of
 *           {@code materials}</td></tr>
 * </table>
 *
 * A git entry is a resource URI {@code git+REPOSITORY} or {@code git+REPOSITORY@REF} (SLSA's convention, which
 * {@link SourceRevision#uri} writes); its repository is the text after {@code git+} up to the first {@code @} that
 * follows the start of the path (so {@code git+ssh://git@host/org/app.git@refs/heads/main} is
 * {@code ssh://git@host/org/app.git}; in scp form {@code git@host:org/app.git} the path starts after the first
 * {@code :}). A repository field given with a {@code git+} prefix loses it, so every source repository is compared
 * without one.
 */
public final class SlsaFields {
    /** The build type of GitHub Actions workflows (slsa-framework/github-actions-buildtypes {@code workflow/v1}). */
    public static final String GITHUB_WORKFLOW_BUILD_TYPE = "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1";
    /** The build type of GitHub's own artifact attestations, with the same {@code externalParameters.workflow}. */
    public static final String GITHUB_ARTIFACT_ATTESTATION_BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1";

    private static final String GIT_PREFIX = "git+";

    private SlsaFields() {
    }

    /** Whether the fields here can be read from a predicate of this type. */
    public static boolean isProvenance(String predicateType) {
        return PredicateTypes.SLSA_PROVENANCE_V1.equals(predicateType) || PredicateTypes.SLSA_PROVENANCE_V02.equals(predicateType);
    }

    public static Optional<String> builderId(String predicateType, JsonNode predicate) {
        return isV1(predicateType) ? text(predicate, "runDetails", "builder", "id") : text(predicate, "builder", "id");
    }

    public static Optional<String> buildType(String predicateType, JsonNode predicate) {
        return isV1(predicateType) ? text(predicate, "buildDefinition", "buildType") : text(predicate, "buildType");
    }

    /** The source repository as the class comment defines it, without {@code git+} and without a ref. */
    public static Optional<String> sourceRepository(String predicateType, JsonNode predicate) {
        if (isV1(predicateType)) {
            JsonNode definition = predicate.path("buildDefinition");
            String buildType = definition.path("buildType").asText("");
            if (SlsaProvenance.JENKINS_PIPELINE_BUILD_TYPE.equals(buildType)) {
                return text(definition, "externalParameters", "source", "repository").map(SlsaFields::withoutGitPrefix);
            }
            if (GITHUB_WORKFLOW_BUILD_TYPE.equals(buildType) || GITHUB_ARTIFACT_ATTESTATION_BUILD_TYPE.equals(buildType)) {
                return text(definition, "externalParameters", "workflow", "repository").map(SlsaFields::withoutGitPrefix);
            }
            return firstGitRepository(definition.path("resolvedDependencies"));
        }
        Optional<String> configSource = text(predicate, "invocation", "configSource", "uri").flatMap(SlsaFields::gitRepository);
        return configSource.isPresent() ? configSource : firstGitRepository(predicate.path("materials"));
    }

    /** The repository of a git resource URI ({@code git+REPOSITORY[@REF]}), or empty when it is not one. */
    public static Optional<String> gitRepository(String uri) {
        if (!uri.startsWith(GIT_PREFIX) || uri.length() == GIT_PREFIX.length()) {
            return Optional.empty();
        }
        String rest = uri.substring(GIT_PREFIX.length());
        int scheme = rest.indexOf("://");
        int pathStart = scheme >= 0 ? rest.indexOf('/', scheme + 3) : rest.indexOf(':');
        if (pathStart < 0) {
            return Optional.of(rest);
        }
        int at = rest.indexOf('@', pathStart);
        return Optional.of(at < 0 ? rest : rest.substring(0, at));
    }

    /** {@code repository} without a leading {@code git+}. */
    public static String withoutGitPrefix(String repository) {
        return repository.startsWith(GIT_PREFIX) ? repository.substring(GIT_PREFIX.length()) : repository;
    }

    private static Optional<String> firstGitRepository(JsonNode resources) {
        if (!resources.isArray()) {
            return Optional.empty();
        }
        for (JsonNode resource : resources) {
            JsonNode uri = resource.path("uri");
            if (uri.isTextual()) {
                Optional<String> repository = gitRepository(uri.asText());
                if (repository.isPresent()) {
                    return repository;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isV1(String predicateType) {
        if (!isProvenance(predicateType)) {
            throw new IllegalArgumentException(JsonText.quoted(predicateType) + " is not an SLSA provenance predicate type");
        }
        return PredicateTypes.SLSA_PROVENANCE_V1.equals(predicateType);
    }

    private static Optional<String> text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String member : path) {
            current = current.path(member);
        }
        return current.isTextual() ? Optional.of(current.asText()) : Optional.empty();
    }
}
