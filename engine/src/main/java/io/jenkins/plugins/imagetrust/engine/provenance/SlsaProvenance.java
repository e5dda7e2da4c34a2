package io.jenkins.plugins.imagetrust.engine.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SLSA Provenance v1 predicate of a Jenkins Pipeline build (slsa.dev/spec/v1.1/provenance), with the build type
 * {@link #JENKINS_PIPELINE_BUILD_TYPE}, whose fields docs/provenance.md defines:
 *
 * <pre>{"buildDefinition":{"buildType":…,
 *    "externalParameters":{"job":NAME,"source":{"repository":…,"ref":…,"commit":…},"parameters":{…}},
 *    "internalParameters":{"jenkinsVersion":…,"imageTrustVersion":…},
 *    "resolvedDependencies":[{"uri":"git+REPO@REF","digest":{"gitCommit":…}},{"uri":IMAGE,"digest":{"sha256":…}}]},
 *  "runDetails":{"builder":{"id":JOB_URL},
 *    "metadata":{"invocationId":BUILD_URL,"startedOn":…,"finishedOn":…}}}</pre>
 *
 * Members absent from the build (no source, no parameters, no base images) are left out, as SLSA allows; maps are
 * written in key order, so one build gives one byte sequence.
 */
public final class SlsaProvenance {
    /** Our build type: a Jenkins Pipeline run, the fields as docs/provenance.md defines them (version 1). */
    public static final String JENKINS_PIPELINE_BUILD_TYPE =
            "https://github.com/jenkinsci/image-trust-plugin/blob/main/docs/provenance.md#jenkins-pipeline-build-type-v1";

    private SlsaProvenance() {
    }

    /** The predicate for {@code build}. */
    public static ObjectNode predicate(JenkinsBuild build) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode predicate = json.objectNode();
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", JENKINS_PIPELINE_BUILD_TYPE);

        ObjectNode external = definition.putObject("externalParameters");
        external.put("job", build.jobFullName());
        build.source().ifPresent(source -> {
            ObjectNode node = external.putObject("source");
            node.put("repository", source.repository());
            source.ref().ifPresent(ref -> node.put("ref", ref));
            node.put("commit", source.commit());
        });
        if (!build.parameters().isEmpty()) {
            putSorted(external.putObject("parameters"), build.parameters());
        }

        ObjectNode internal = definition.putObject("internalParameters");
        internal.put("jenkinsVersion", build.jenkinsVersion());
        internal.put("imageTrustVersion", build.pluginVersion());

        ArrayNode dependencies = json.arrayNode();
        build.source().ifPresent(source -> {
            ObjectNode node = dependencies.addObject();
            node.put("uri", source.uri());
            node.putObject("digest").put("gitCommit", source.commit());
        });
        for (BaseImage image : build.baseImages()) {
            ObjectNode node = dependencies.addObject();
            node.put("uri", image.name());
            node.putObject("digest").put(image.digest().algorithm(), image.digest().hex());
        }
        if (!dependencies.isEmpty()) {
            definition.set("resolvedDependencies", dependencies);
        }

        ObjectNode run = predicate.putObject("runDetails");
        run.putObject("builder").put("id", build.builderId());
        ObjectNode metadata = run.putObject("metadata");
        metadata.put("invocationId", build.invocationId());
        metadata.put("startedOn", build.startedOn().toString());
        metadata.put("finishedOn", build.finishedOn().toString());
        return predicate;
    }

    private static void putSorted(ObjectNode target, Map<String, String> values) {
        new TreeMap<>(values).forEach(target::put);
    }
}
