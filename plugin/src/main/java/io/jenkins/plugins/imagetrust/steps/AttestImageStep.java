package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code attestImage image: '…', predicate: 'sbom.spdx.json', predicateType: 'spdxjson', credentialsId: 'release-key'}:
 * attaches a signed in-toto attestation with any predicate (an SBOM made earlier in the pipeline, a scan report) to
 * the image, in the signature formats of {@code signImage} (the {@code .att} tag and/or a bundle referrer), where
 * {@code cosign verify-attestation}, Kyverno and policy-controller read it. The predicate file is read from the
 * workspace, capped; the controller signs. Returns {@code digest} and {@code predicateType}.
 */
public class AttestImageStep extends SigningStep {
    private String predicate;
    private String predicateType;

    @DataBoundConstructor
    public AttestImageStep(String image) {
        super(image);
    }

    /** The predicate file, relative to the workspace: one JSON object (e.g. an SPDX or CycloneDX document). */
    @CheckForNull
    public String getPredicate() {
        return predicate;
    }

    @DataBoundSetter
    public void setPredicate(String predicate) {
        this.predicate = Util.fixEmptyAndTrim(predicate);
    }

    /** cosign's {@code --type} names ({@code slsaprovenance1}, {@code spdxjson}, {@code cyclonedx}, …) or a URI. */
    @CheckForNull
    public String getPredicateType() {
        return predicateType;
    }

    @DataBoundSetter
    public void setPredicateType(String predicateType) {
        this.predicateType = Util.fixEmptyAndTrim(predicateType);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @Override
    String functionName() {
        return "attestImage";
    }

    @Override
    String operation() {
        return "attest";
    }

    @Override
    String pastParticiple() {
        return "attested";
    }

    /** Reads the predicate on the agent, signs on the controller. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        // A restarted controller does not resume this execution (SynchronousNonBlockingStepExecution fails it).
        private final transient AttestImageStep step;

        Execution(AttestImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            BuildLog log = new BuildLog(getContext().get(TaskListener.class));
            try {
                return attest(run, log);
            } catch (Exception e) {
                throw step.failed(run, log, null, e);
            }
        }

        private Map<String, Object> attest(Run<?, ?> run, BuildLog log) throws Exception {
            ImageReference image = ImageReference.parse(step.requireImage());
            step.requireOneKey();
            Predicate predicate = readPredicate();
            EffectiveSettings settings = EffectiveSettings.current();
            ImageTrustConfiguration config = settings.global();
            try (RegistryAccess registry = RegistryAccess.open(run, step.getRegistryCredentialsId(), config, log);
                    Signer signer = step.signer(run, config)) {
                ImageSigner.Builder signing =
                        ImageSigner.builder().registry(registry.client()).signer(signer).listener(log);
                settings.signatureRepository(step).ifPresent(signing::signatureRepository);
                SignResult result = signing.build()
                        .sign(SignRequest.builder(image)
                                .signatures(false)
                                .attestations(List.of(predicate))
                                .signatureFormat(settings.signatureFormat(step.getSignatureFormat()))
                                .build());
                boolean nothingNew = result.attestations().stream().allMatch(StoredSignature::alreadyPresent);
                ImageTrustAction.record(
                        run,
                        new ImageTrustRecord(
                                "attest",
                                image.toString(),
                                result.digest().toString(),
                                List.of(result.keyId().hex()),
                                ImageTrustRecord.Verdict.SIGNED,
                                predicate.predicateType() + (nothingNew ? " (already attested: nothing added)" : "")));
                Map<String, Object> value = new HashMap<>();
                value.put("digest", result.digest().toString());
                value.put("predicateType", predicate.predicateType());
                return value;
            }
        }

        /** The predicate file from the workspace, at most {@link Statement#MAX_BYTES}, as one JSON object. */
        private Predicate readPredicate() throws IOException, InterruptedException {
            if (step.predicate == null || step.predicateType == null) {
                throw new AbortException("attestImage needs predicate: '<file in the workspace>' and predicateType:"
                        + " 'slsaprovenance1|spdxjson|cyclonedx|<URI>'");
            }
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException("attestImage reads its predicate file from the workspace: call it inside"
                        + " node {}");
            }
            FilePath file = workspace.child(step.predicate);
            if (!file.exists()) {
                throw new AbortException("attestImage predicate: no file " + step.predicate + " in the workspace");
            }
            byte[] bytes;
            try (InputStream in = file.read()) {
                bytes = CappedRead.readAtMost(in, Statement.MAX_BYTES, "attestImage predicate " + step.predicate);
            }
            try {
                return Predicate.of(step.predicateType, bytes);
            } catch (IllegalArgumentException e) {
                throw new AbortException("attestImage predicate " + step.predicate + ": " + e.getMessage());
            }
        }
    }

    /** {@code attestImage} in the Snippet Generator and the Pipeline DSL. */
    @Extension
    public static final class DescriptorImpl extends SigningStepDescriptor {
        @Override
        public String getFunctionName() {
            return "attestImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.AttestImageStep_DisplayName();
        }

        @POST
        public FormValidation doCheckPredicateType(@QueryParameter String value) {
            return ImageChecks.checkOptional(value, PredicateTypes::resolve);
        }
    }
}
