package io.jenkins.plugins.imagetrust.steps;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What {@code signImage} and {@code verifyImage} share: the image they name, the registry login, where signatures are
 * stored, how a call that could not finish is recorded, and the form helpers of those parameters.
 */
public abstract class ImageStep extends Step {
    private final String image;
    private String registryCredentialsId;
    private String signatureRepository;

    protected ImageStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImage() {
        return image;
    }

    /** A username/password credential for the registry; empty for anonymous access. */
    @CheckForNull
    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    /** Where signatures are stored when not next to the image; empty for the global page's setting. */
    @CheckForNull
    public String getSignatureRepository() {
        return signatureRepository;
    }

    @DataBoundSetter
    public void setSignatureRepository(String signatureRepository) {
        this.signatureRepository = Util.fixEmptyAndTrim(signatureRepository);
    }

    /** The Pipeline function name, for messages: {@code signImage} or {@code verifyImage}. */
    abstract String functionName();

    /** The run record's operation and the log's past participle: {@code sign}/{@code signed}, … */
    abstract String operation();

    abstract String pastParticiple();

    /** The image text, refusing a call without one. */
    @NonNull
    String requireImage() throws AbortException {
        if (image == null) {
            throw new AbortException(functionName() + " needs image: 'registry/repository:tag'");
        }
        return image;
    }

    /**
     * A call that could not finish (bad input, a policy below the floor, a registry down): recorded on the run and
     * logged as one line, then turned into the step's failure. An interruption is neither recorded nor logged.
     *
     * @param policy the policy the call was held to, when known (verification only)
     */
    Exception failed(Run<?, ?> run, BuildLog log, @CheckForNull String policy, Exception e) {
        if (!(e instanceof InterruptedException)) {
            String reason = StepSupport.reason(e);
            ImageTrustRecord record = ImageTrustRecord.failed(operation(), String.valueOf(image), reason);
            ImageTrustAction.record(run, policy == null ? record : record.withPolicy(policy));
            log.line("NOT " + pastParticiple() + " " + image + ": " + reason);
        }
        return StepSupport.toStepFailure(e);
    }

    @Override
    public String toString() {
        return functionName() + "(" + image + ")";
    }

    /** The form helpers and context of the parameters every image step has. */
    public abstract static class ImageStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        /** The stage view's label: the image. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepSupport.imageArgument(namedArgs);
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return StepSupport.credentialItems(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckImage(@QueryParameter String value) {
            return ImageChecks.checkImage(value);
        }

        @POST
        public FormValidation doCheckSignatureRepository(@QueryParameter String value) {
            return ImageChecks.checkOptionalImage(value);
        }
    }
}
