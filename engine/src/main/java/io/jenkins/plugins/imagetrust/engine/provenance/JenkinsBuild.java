package io.jenkins.plugins.imagetrust.engine.provenance;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Jenkins build tells about itself when it signs an image: the facts {@link SlsaProvenance} writes. Nothing
 * here may be secret: the plugin passes build parameters without password and credentials parameters, and no
 * environment at all.
 *
 * @param builderId the job's URL (the controller's root URL plus the job's path): the builder that ran it
 * @param invocationId the build's URL
 * @param jobFullName the job's full name ({@code folder/app})
 * @param startedOn when the build started
 * @param finishedOn when the provenance was made (the build is still running: the signing step's time)
 * @param source the pipeline's source revision, when the build has one
 * @param parameters the build's non-secret parameters, as text ({@link BuildParameter#publishable} selects them)
 * @param jenkinsVersion the controller's Jenkins version
 * @param pluginVersion the Image Trust plugin's version
 * @param baseImages images the build started from, when the step is told them
 */
public record JenkinsBuild(String builderId, String invocationId, String jobFullName, Instant startedOn, Instant finishedOn,
        Optional<SourceRevision> source, Map<String, String> parameters, String jenkinsVersion, String pluginVersion,
        List<BaseImage> baseImages) {
    public JenkinsBuild {
        requireAbsoluteUri(builderId, "builder id");
        requireAbsoluteUri(invocationId, "invocation id");
        Objects.requireNonNull(jobFullName, "jobFullName");
        Objects.requireNonNull(startedOn, "startedOn");
        Objects.requireNonNull(finishedOn, "finishedOn");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(jenkinsVersion, "jenkinsVersion");
        Objects.requireNonNull(pluginVersion, "pluginVersion");
        parameters = Map.copyOf(parameters);
        baseImages = List.copyOf(baseImages);
        if (finishedOn.isBefore(startedOn)) {
            throw new IllegalArgumentException("the build finished (" + finishedOn + ") before it started (" + startedOn + ")");
        }
    }

    private static void requireAbsoluteUri(String value, String what) {
        Objects.requireNonNull(value, what);
        try {
            if (new URI(value).isAbsolute()) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("the " + what + " '" + value + "' is not an absolute URI (is Jenkins' root URL set?)");
    }
}
