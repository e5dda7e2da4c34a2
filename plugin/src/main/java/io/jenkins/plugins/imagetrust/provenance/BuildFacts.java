package io.jenkins.plugins.imagetrust.provenance;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.PluginWrapper;
import hudson.model.BooleanParameterValue;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Run;
import hudson.model.StringParameterValue;
import io.jenkins.plugins.imagetrust.engine.provenance.BaseImage;
import io.jenkins.plugins.imagetrust.engine.provenance.BuildParameter;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;

/**
 * What a run tells about itself for its SLSA provenance ({@link JenkinsBuild}): job, URLs, times, versions, the source
 * revision it built and its parameters. Nothing secret: only string and boolean parameters that Jenkins does not
 * call sensitive are taken (never password or credentials parameters, which are other types), and no environment.
 */
public final class BuildFacts {
    private BuildFacts() {
    }

    /**
     * The facts of {@code run} as they are at {@code now} (the signing step's time: the build is still running).
     *
     * @throws AbortException when Jenkins' root URL is not set: the builder id and invocation id are built from it
     */
    @NonNull
    public static JenkinsBuild of(@NonNull Run<?, ?> run, @NonNull List<BaseImage> baseImages, @NonNull Instant now)
            throws AbortException {
        Jenkins jenkins = Jenkins.get();
        String rootUrl = jenkins.getRootUrl();
        if (rootUrl == null) {
            throw new AbortException("signImage provenance needs Jenkins' root URL (Manage Jenkins › System › Jenkins"
                    + " URL): the builder id and the build's URL are made from it; or set provenance: false");
        }
        Instant started = Instant.ofEpochMilli(run.getStartTimeInMillis());
        return new JenkinsBuild(
                rootUrl + run.getParent().getUrl(),
                rootUrl + run.getUrl(),
                run.getParent().getFullName(),
                started,
                now.isBefore(started) ? started : now,
                SourceRevisions.of(run),
                parameters(run),
                Jenkins.VERSION == null ? "unknown" : Jenkins.VERSION,
                pluginVersion(jenkins),
                baseImages);
    }

    /**
     * The job's defined string and boolean parameters by name ({@link BuildParameter#publishable}); a sensitive one,
     * a value of any other type (password, credentials, file ...) and a parameter the job does not define are left out.
     */
    static Map<String, String> parameters(Run<?, ?> run) {
        List<BuildParameter> parameters = new ArrayList<>();
        ParametersAction action = run.getAction(ParametersAction.class);
        for (ParameterValue parameter : action == null ? List.<ParameterValue>of() : action.getParameters()) {
            if (parameter instanceof StringParameterValue || parameter instanceof BooleanParameterValue) {
                Object value = parameter.getValue();
                if (value != null) {
                    parameters.add(new BuildParameter(parameter.getName(), value.toString(), parameter.isSensitive()));
                }
            }
        }
        return BuildParameter.publishable(parameters);
    }

    private static String pluginVersion(Jenkins jenkins) {
        PluginWrapper plugin = jenkins.getPluginManager().whichPlugin(BuildFacts.class);
        return plugin == null ? "unknown" : plugin.getVersion();
    }
}
