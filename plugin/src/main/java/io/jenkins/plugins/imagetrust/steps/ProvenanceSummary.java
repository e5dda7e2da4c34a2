package io.jenkins.plugins.imagetrust.steps;

import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaFields;
import java.util.Optional;

/**
 * One line on a verified SLSA provenance for the log and the run summary: who built the image and from which source
 * commit. Values come from a statement a trusted key signed; they are still shown as text only (Jelly escapes them),
 * and the build URL becomes a link only when it is http(s) ({@code ImageTrustRecord.withProvenance}).
 */
final class ProvenanceSummary {
    private static final int MAX_SHOWN = 200;

    private ProvenanceSummary() {
    }

    static String describe(String predicateType, JsonNode predicate) {
        StringBuilder text = new StringBuilder("built by ")
                .append(shown(SlsaFields.builderId(predicateType, predicate).orElse("an unnamed builder")));
        Optional<String> repository = SlsaFields.sourceRepository(predicateType, predicate);
        Optional<String> commit = sourceCommit(predicate);
        if (repository.isPresent() || commit.isPresent()) {
            text.append(" from ").append(shown(repository.orElse("a source")));
            commit.ifPresent(c -> text.append(" at ").append(shown(c)));
        }
        return text.toString();
    }

    /** The build that made the image (SLSA v1 {@code runDetails.metadata.invocationId}), when it names one. */
    @CheckForNull
    static String buildUrl(JsonNode predicate) {
        JsonNode id = predicate.path("runDetails").path("metadata").path("invocationId");
        return id.isTextual() ? id.asText() : null;
    }

    /** The first resolved dependency's git commit (SLSA v1 {@code resolvedDependencies[].digest.gitCommit}). */
    private static Optional<String> sourceCommit(JsonNode predicate) {
        for (JsonNode dependency : predicate.path("buildDefinition").path("resolvedDependencies")) {
            JsonNode commit = dependency.path("digest").path("gitCommit");
            if (commit.isTextual()) {
                return Optional.of(commit.asText());
            }
        }
        return Optional.empty();
    }

    /** A signed value, but still someone else's text: one line, bounded. */
    private static String shown(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return line.length() > MAX_SHOWN ? line.substring(0, MAX_SHOWN) + "…" : line;
    }
}
