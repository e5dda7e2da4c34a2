package io.jenkins.plugins.imagetrust.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.engine.AttestationReport;
import io.jenkins.plugins.imagetrust.engine.AttestationVerification;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationFinding;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.attestation.PredicateRule;
import io.jenkins.plugins.imagetrust.engine.attestation.RejectedAttestation;
import io.jenkins.plugins.imagetrust.engine.attestation.RequirementResult;
import io.jenkins.plugins.imagetrust.engine.attestation.VerifiedAttestation;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.io.IOException;
import java.io.Serial;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code verifyImage image: 'registry.example.com/app:1.0'}: checks the image's signatures against the trusted keys and
 * keyless identities of the global page. Returns {@code verified}, {@code digest} and {@code signatures} (one map per
 * signature found: key id, key name, for a keyless one the trusted identity and the certificate's identity and issuer,
 * counted, reason, format); with {@code platform: 'linux/arm64'} the manifest verified is that
 * platform's ({@code platform} and {@code index} in the value say which). When the image is not trusted,
 * {@code mode: 'enforce'} fails the step with the reason and {@code mode: 'warn'} marks the build UNSTABLE.
 */
public class VerifyImageStep extends ImageStep {
    private List<String> keys = new ArrayList<>();
    private List<String> identities = new ArrayList<>();
    private boolean requireProvenance;
    private String builderId;
    private String builderIdPrefix;
    private String sourceRepository;
    private int threshold;
    private Map<String, String> requiredAnnotations = new LinkedHashMap<>();
    private String mode;
    private String platform;

    @DataBoundConstructor
    public VerifyImageStep(String image) {
        super(image);
    }

    /** Names or key ids of trusted keys to accept; empty for all trusted keys. */
    @NonNull
    public List<String> getKeys() {
        return new ArrayList<>(keys);
    }

    @DataBoundSetter
    public void setKeys(List<String> keys) {
        this.keys = cleaned(keys);
    }

    /** Names of trusted keyless identities to accept; empty for all (see {@code keys} for how the two narrow). */
    @NonNull
    public List<String> getIdentities() {
        return new ArrayList<>(identities);
    }

    @DataBoundSetter
    public void setIdentities(List<String> identities) {
        this.identities = cleaned(identities);
    }

    private static List<String> cleaned(List<?> values) {
        List<String> cleaned = new ArrayList<>();
        if (values != null) {
            for (Object value : values) { // Groovy may hand over GStrings
                String text = Util.fixEmptyAndTrim(String.valueOf(value));
                if (text != null) {
                    cleaned.add(text);
                }
            }
        }
        return cleaned;
    }

    /**
     * Also require signed SLSA provenance (v1) by the same trusted keys and threshold; implied by {@code builderId},
     * {@code builderIdPrefix} and {@code sourceRepository}.
     */
    public boolean isRequireProvenance() {
        return requireProvenance;
    }

    @DataBoundSetter
    public void setRequireProvenance(boolean requireProvenance) {
        this.requireProvenance = requireProvenance;
    }

    /** The provenance's builder id must equal this (for a Jenkins build: the job's URL). */
    @CheckForNull
    public String getBuilderId() {
        return builderId;
    }

    @DataBoundSetter
    public void setBuilderId(String builderId) {
        this.builderId = Util.fixEmptyAndTrim(builderId);
    }

    /** The provenance's builder id must start with this (e.g. this controller's URL: any of its jobs). */
    @CheckForNull
    public String getBuilderIdPrefix() {
        return builderIdPrefix;
    }

    @DataBoundSetter
    public void setBuilderIdPrefix(String builderIdPrefix) {
        this.builderIdPrefix = Util.fixEmptyAndTrim(builderIdPrefix);
    }

    /** The provenance's source repository must equal this, e.g. {@code https://git.example.com/team/app.git}. */
    @CheckForNull
    public String getSourceRepository() {
        return sourceRepository;
    }

    @DataBoundSetter
    public void setSourceRepository(String sourceRepository) {
        this.sourceRepository = Util.fixEmptyAndTrim(sourceRepository);
    }

    /** The provenance requirement this step asks for, if any: SLSA v1, the policy's keys and threshold, the rules. */
    Optional<AttestationRequirement> provenanceRequirement(EffectivePolicy policy) throws AbortException {
        List<PredicateRule> rules = new ArrayList<>();
        if (builderId != null) {
            rules.add(new PredicateRule(PredicateRule.Field.BUILDER_ID, builderId));
        }
        if (builderIdPrefix != null) {
            rules.add(new PredicateRule(PredicateRule.Field.BUILDER_ID_PREFIX, builderIdPrefix));
        }
        if (sourceRepository != null) {
            rules.add(new PredicateRule(PredicateRule.Field.SOURCE_REPOSITORY, sourceRepository));
        }
        if (!requireProvenance && rules.isEmpty()) {
            return Optional.empty();
        }
        if (policy.keyNames().isEmpty()) {
            throw new AbortException("verifyImage requireProvenance: provenance is checked against trusted keys, and"
                    + " this policy has none (keyless provenance is not verified yet)");
        }
        try {
            return Optional.of(new AttestationRequirement(
                    PredicateTypes.SLSA_PROVENANCE_V1,
                    Math.min(policy.threshold(), policy.keyNames().size()),
                    policy.keyNames(),
                    rules));
        } catch (IllegalArgumentException e) {
            throw new AbortException("verifyImage provenance: " + e.getMessage());
        }
    }

    /** Valid signatures from distinct keys needed; 0 for the global default. */
    public int getThreshold() {
        return threshold;
    }

    @DataBoundSetter
    public void setThreshold(int threshold) {
        this.threshold = Math.max(0, threshold);
    }

    /** Annotations every counted signature must carry with exactly these values, e.g. {@code [git: env.GIT_COMMIT]}. */
    @NonNull
    public Map<String, String> getRequiredAnnotations() {
        return new LinkedHashMap<>(requiredAnnotations);
    }

    @DataBoundSetter
    public void setRequiredAnnotations(Map<String, String> requiredAnnotations) {
        this.requiredAnnotations = StepSupport.stringMap(requiredAnnotations);
    }

    /** {@code enforce} or {@code warn}; empty for the global default. */
    @CheckForNull
    public String getMode() {
        return mode;
    }

    @DataBoundSetter
    public void setMode(String mode) {
        this.mode = Util.fixEmptyAndTrim(mode);
    }

    /**
     * {@code os/architecture[/variant]}, e.g. {@code linux/arm64}: verify the manifest a runtime on that platform pulls
     * (an image index is resolved to the manifest it lists for it); empty to verify what the image names.
     */
    @CheckForNull
    public String getPlatform() {
        return platform;
    }

    @DataBoundSetter
    public void setPlatform(String platform) {
        this.platform = Util.fixEmptyAndTrim(platform);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @Override
    String functionName() {
        return "verifyImage";
    }

    @Override
    String operation() {
        return "verify";
    }

    @Override
    String pastParticiple() {
        return "verified";
    }

    /** Runs the verification off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        // A restarted controller does not resume this execution (SynchronousNonBlockingStepExecution fails it).
        private final transient VerifyImageStep step;

        Execution(VerifyImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            BuildLog log = new BuildLog(getContext().get(TaskListener.class));
            EffectivePolicy policy = null;
            VerificationReport report;
            Optional<AttestationReport> provenance;
            try {
                String image = step.requireImage();
                EffectiveSettings settings = EffectiveSettings.current();
                policy = settings.policy(
                        step.keys, step.identities, step.threshold, step.mode, step.requiredAnnotations);
                Optional<AttestationRequirement> required = step.provenanceRequirement(policy);
                try (RegistryAccess registry =
                        RegistryAccess.open(run, step.getRegistryCredentialsId(), settings.global(), log)) {
                    report = verify(registry, log, settings, policy, image);
                    provenance = required.isEmpty()
                            ? Optional.empty()
                            : Optional.of(verifyProvenance(registry, log, settings, policy, required.get(), image));
                }
            } catch (Exception e) {
                // The image could not even be checked (bad input, a policy below the floor, registry down): that is a
                // failure in either mode.
                throw step.failed(run, log, policy == null ? null : policy.describe(), e);
            }
            return conclude(run, log, policy, report, provenance);
        }

        private VerificationReport verify(
                RegistryAccess registry,
                BuildLog log,
                EffectiveSettings settings,
                EffectivePolicy policy,
                String imageText)
                throws Exception {
            ImageReference image = ImageReference.parse(imageText);
            Platform platform;
            try {
                platform = step.platform == null ? null : Platform.parse(step.platform);
            } catch (IllegalArgumentException e) {
                throw new AbortException("verifyImage platform: " + e.getMessage());
            }
            ImageVerifier.Builder verifier = ImageVerifier.builder()
                    .registry(registry.client())
                    .policy(policy.toTrustPolicy())
                    .listener(log)
                    .clock(Clock.systemUTC())
                    .platform(platform);
            settings.signatureRepository(step).ifPresent(verifier::signatureRepository);
            return verifier.build().verify(image);
        }

        /** The image's SLSA provenance attestations, checked against the requirement with the policy's keys. */
        private AttestationReport verifyProvenance(
                RegistryAccess registry,
                BuildLog log,
                EffectiveSettings settings,
                EffectivePolicy policy,
                AttestationRequirement required,
                String imageText)
                throws Exception {
            AttestationVerification.Builder verification = AttestationVerification.builder()
                    .registry(registry.client())
                    .keys(policy.toTrustPolicy().keys())
                    .requirements(List.of(required))
                    .listener(log)
                    .clock(Clock.systemUTC());
            if (step.platform != null) {
                verification.platform(Platform.parse(step.platform));
            }
            settings.signatureRepository(step).ifPresent(verification::signatureRepository);
            return verification.build().verify(ImageReference.parse(imageText));
        }

        /** Log line, run action, build result and the step's value; throws in enforce mode when not trusted. */
        private Map<String, Object> conclude(
                Run<?, ?> run,
                BuildLog log,
                EffectivePolicy policy,
                VerificationReport report,
                Optional<AttestationReport> provenance)
                throws IOException, InterruptedException {
            EnforcementMode mode = policy.mode();
            String pinned = report.image().withDigest(report.digest()).pinned();
            List<String> countedKeyIds = new ArrayList<>();
            List<String> countedIdentities = new ArrayList<>();
            List<String> signers = new ArrayList<>();
            List<Map<String, Object>> signatures = new ArrayList<>();
            for (SignatureCheck check : report.signatures()) {
                String keyId = check.keyId().map(id -> id.hex()).orElse(null);
                Optional<SignatureCheck.KeylessSigner> keyless = check.keyless();
                if (check.counted() && keyId != null) {
                    countedKeyIds.add(keyId);
                    signers.add(keyId);
                }
                if (check.counted() && keyless.isPresent()) {
                    countedIdentities.add(keyless.get().identityName());
                    signers.add("keyless: " + keyless.get().identityName() + " = " + keyless.get().describe());
                }
                Map<String, Object> signature = new HashMap<>();
                signature.put("keyId", keyId);
                signature.put("keyName", check.keyName().orElse(null));
                // The trusted identity a keyless signature verified under, and the SAN and issuer its certificate names.
                signature.put("identity", keyless.map(SignatureCheck.KeylessSigner::identityName).orElse(null));
                signature.put("certificateIdentity", keyless.flatMap(k -> k.certificate().subjectAlternativeName())
                        .orElse(null));
                signature.put("certificateIssuer", keyless.flatMap(k -> k.certificate().issuer()).orElse(null));
                signature.put("counted", check.counted());
                signature.put(
                        "reason", check.reason().map(reason -> reason.name()).orElse(null));
                signature.put("detail", check.detail());
                signature.put("format", check.format().id());
                signatures.add(signature);
            }
            boolean provenanceHolds = provenance.map(AttestationReport::satisfied).orElse(true);
            boolean trusted = report.trusted() && provenanceHolds;
            String reason = !report.trusted()
                    ? report.reason().orElse("not trusted")
                    : provenanceHolds ? null : "provenance: " + provenance.get().summary();
            ImageTrustRecord.Verdict verdict = trusted
                    ? ImageTrustRecord.Verdict.VERIFIED
                    : mode == EnforcementMode.WARN ? ImageTrustRecord.Verdict.WARNED : ImageTrustRecord.Verdict.FAILED;
            ImageTrustRecord record = new ImageTrustRecord(
                            "verify", step.getImage(), report.digest().toString(), countedKeyIds, verdict, reason)
                    .withPolicy(policy.describe())
                    .withIdentities(countedIdentities);
            Optional<VerifiedAttestation> verifiedProvenance =
                    provenance.flatMap(found -> found.verified().stream().findFirst());
            if (verifiedProvenance.isPresent()) {
                ObjectNode predicate = verifiedProvenance.get().statement().predicate();
                String type = verifiedProvenance.get().statement().predicateType();
                record = record.withProvenance(
                        ProvenanceSummary.describe(type, predicate), ProvenanceSummary.buildUrl(predicate));
                log.line("provenance: " + ProvenanceSummary.describe(type, predicate));
            }
            ImageTrustAction.record(run, record);
            provenance.filter(found -> !found.satisfied()).ifPresent(found -> logUncounted(log, found));
            if (trusted) {
                log.line("verified " + pinned + ": signed by " + String.join(", ", signers) + " (policy: "
                        + policy.describe() + ")");
            } else {
                log.line("NOT verified " + pinned + ": " + reason);
                for (SignatureCheck check : report.signatures()) {
                    if (!check.counted()) {
                        log.line("  signature "
                                + check.keyId().map(id -> "by key " + id.hex())
                                        .or(() -> check.keyless().map(k -> "by keyless identity "
                                                + k.identityName() + " = " + k.describe()))
                                        .orElse("by an unknown key")
                                + " did not count: "
                                + check.reason().map(r -> r.name()).orElse("?") + " "
                                + check.detail());
                    }
                }
                if (mode == EnforcementMode.ENFORCE) {
                    throw new AbortException("image " + pinned + " is not trusted: " + reason);
                }
                log.line("mode warn: marking the build and this stage UNSTABLE and continuing");
                run.setResult(Result.UNSTABLE);
                // Stage views colour a stage by the warnings of its nodes, as for the core unstable step.
                FlowNode node = getContext().get(FlowNode.class);
                if (node != null) {
                    node.addOrReplaceAction(new WarningAction(Result.UNSTABLE)
                            .withMessage("image " + pinned + " is not trusted: " + reason));
                }
            }
            Map<String, Object> value = new HashMap<>();
            value.put("verified", trusted);
            value.put("provenance", verifiedProvenance.isPresent());
            value.put("digest", report.digest().toString());
            value.put("signatures", signatures);
            value.put("platform", report.platform().map(Platform::toString).orElse(null));
            value.put("index", report.index().map(Digest::toString).orElse(null));
            return value;
        }
    }

    /** Why each provenance attestation found did not count, as the signatures' reasons are logged. */
    private static void logUncounted(BuildLog log, AttestationReport provenance) {
        for (RequirementResult result : provenance.evaluation().results()) {
            for (AttestationFinding finding : result.findings()) {
                if (!finding.counted()) {
                    log.line("  provenance did not count: "
                            + finding.reason().map(Enum::name).orElse("?") + " " + finding.detail());
                }
            }
        }
        for (RejectedAttestation rejected : provenance.evaluation().rejected()) {
            log.line("  attestation rejected: " + rejected.reason().name() + " " + rejected.detail());
        }
    }

    /** {@code verifyImage} in the Snippet Generator and the Pipeline DSL. */
    @Extension
    public static final class DescriptorImpl extends ImageStepDescriptor {
        @Override
        public String getFunctionName() {
            return "verifyImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.VerifyImageStep_DisplayName();
        }

        @POST
        public ListBoxModel doFillModeItems() {
            return ImageTrustConfiguration.modeItems(Messages.VerifyImageStep_GlobalMode());
        }

        @POST
        public FormValidation doCheckMode(@QueryParameter String value) {
            return ImageChecks.checkOptional(value, ImageTrustConfiguration::parseMode);
        }

        @POST
        public FormValidation doCheckThreshold(@QueryParameter String value) {
            String text = Util.fixEmptyAndTrim(value);
            return text == null || "0".equals(text)
                    ? FormValidation.ok()
                    : FormValidation.validatePositiveInteger(text);
        }

        @POST
        public FormValidation doCheckPlatform(@QueryParameter String value) {
            return ImageChecks.checkOptional(value, Platform::parse);
        }
    }
}
