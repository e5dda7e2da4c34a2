package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.NotarySettings;
import io.jenkins.plugins.imagetrust.credentials.SignerFactory;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.SignedManifest;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.provenance.BuildFacts;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.io.IOException;
import java.io.Serial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code signImage image: 'registry.example.com/app:1.0', credentialsId: 'release-key'}: signs the image this build
 * pushed, in the cosign signature format (and Docker Content Trust with {@code notary: true}). The controller signs;
 * the private key never reaches an agent or a workspace. Both cosign formats are written by default: the
 * {@code .sig} tag and the cosign 3 bundle referrer ({@code signatureFormat}). An image index is signed with every
 * manifest it lists ({@code recursive}). Returns {@code digest}, {@code reference}, {@code keyId}, {@code signatureTag}
 * and {@code referrerDigest} (null for a format not written), and {@code manifests}: one map per listed manifest
 * signed with an index ({@code digest}, {@code reference}, {@code platform}, {@code parent}, {@code signatureTag},
 * {@code referrerDigest}).
 */
public class SignImageStep extends SigningStep {
    /** Annotations every signature carries, naming the build that made it; a step cannot override them. */
    static final String ANNOTATION_JOB = "jenkins.io/job";

    static final String ANNOTATION_BUILD_NUMBER = "jenkins.io/build-number";
    static final String ANNOTATION_BUILD_URL = "jenkins.io/build-url";

    private Map<String, String> annotations = new LinkedHashMap<>();
    private String digest;
    private boolean notary;
    private boolean recursive = true;
    private Boolean provenance;

    @DataBoundConstructor
    public SignImageStep(String image) {
        super(image);
    }

    /** Extra key/value pairs signed with the image (cosign annotations), e.g. {@code [git: env.GIT_COMMIT]}. */
    @NonNull
    public Map<String, String> getAnnotations() {
        return new LinkedHashMap<>(annotations);
    }

    @DataBoundSetter
    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = StepSupport.stringMap(annotations);
    }

    /** Sign exactly this digest (the registry must still serve it under the image's tag). */
    @CheckForNull
    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = Util.fixEmptyAndTrim(digest);
    }

    /** Also publish Docker Content Trust (Notary v1) metadata to the configured Notary server. */
    public boolean isNotary() {
        return notary;
    }

    @DataBoundSetter
    public void setNotary(boolean notary) {
        this.notary = notary;
    }

    /**
     * For an image index (a multi-platform image): also sign every manifest it lists, which is what container
     * runtimes check (true, the default); false signs the index alone.
     */
    public boolean isRecursive() {
        return recursive;
    }

    @DataBoundSetter
    public void setRecursive(boolean recursive) {
        this.recursive = recursive;
    }

    /**
     * Also publish signed SLSA provenance of this build ({@code true}/{@code false}); empty for the global default
     * (on unless an administrator turned it off).
     */
    @CheckForNull
    public Boolean getProvenance() {
        return provenance;
    }

    @DataBoundSetter
    public void setProvenance(Boolean provenance) {
        this.provenance = provenance;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @Override
    String functionName() {
        return "signImage";
    }

    @Override
    String operation() {
        return "sign";
    }

    @Override
    String pastParticiple() {
        return "signed";
    }

    /** Runs the signing off the CPS thread: it talks to registries and may wait for an HSM. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        // A restarted controller does not resume this execution (SynchronousNonBlockingStepExecution fails it).
        private final transient SignImageStep step;

        Execution(SignImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            BuildLog log = new BuildLog(getContext().get(TaskListener.class));
            try {
                return sign(run, log);
            } catch (Exception e) {
                throw step.failed(run, log, null, e);
            }
        }

        private Map<String, Object> sign(Run<?, ?> run, BuildLog log) throws Exception {
            String imageText = step.requireImage();
            step.requireOneKey();
            EffectiveSettings settings = EffectiveSettings.current();
            ImageTrustConfiguration config = settings.global();
            SignatureFormat format = settings.signatureFormat(step.getSignatureFormat());
            ImageReference image = ImageReference.parse(imageText);
            List<Digest> expected = expectedDigests(image, log);
            Map<String, String> annotations = annotations(run);
            List<Predicate> attestations = provenance(run, settings, log);

            NotarySettings notarySettings = config.getNotary();
            if (step.notary && notarySettings.getServerUrl() == null) {
                throw new AbortException(
                        "signImage notary: true needs a Notary server URL on the global Image Trust configuration");
            }
            String notaryRootId = step.notary ? notarySettings.getRootCredentialsId() : null;
            try (RegistryAccess registry = RegistryAccess.open(run, step.getRegistryCredentialsId(), config, log);
                    Signer signer = step.signer(run, config);
                    Signer notaryRoot =
                            notaryRootId == null ? null : SignerFactory.fromCredentials(run, notaryRootId, null)) {
                ImageSigner.Builder signing = ImageSigner.builder()
                        .registry(registry.client())
                        .signer(signer)
                        .listener(log);
                settings.signatureRepository(step).ifPresent(signing::signatureRepository);
                if (step.notary) {
                    NotaryServer.Builder notary = NotaryServer.builder(notarySettings.getServerUrl())
                            .trustCacheDirectory(config.notaryTrustDirectory())
                            .registryAuth(registry.client());
                    if (notarySettings.getCaCertificate() != null) {
                        notary.caPem(notarySettings.getCaCertificate());
                    }
                    if (notaryRoot != null) {
                        notary.rootSigner(notaryRoot);
                    }
                    signing.notary(notary.build());
                }
                SignResult result = signing.build()
                        .sign(SignRequest.builder(image)
                                .expectedDigests(expected)
                                .annotations(annotations)
                                // A rebuild of the same digest with the same key and annotations adds no signature.
                                .perRunAnnotations(List.of(ANNOTATION_BUILD_NUMBER, ANNOTATION_BUILD_URL))
                                .signatureFormat(format)
                                .recursive(step.recursive)
                                .attestations(attestations)
                                .build());
                return report(run, image, result);
            }
        }

        /**
         * The digests the build pushed: the one given, the one the image reference pins, or those the agent's Docker
         * daemon pushed for the repository. Empty means "what the registry serves now", which the log says.
         */
        private List<Digest> expectedDigests(ImageReference image, BuildLog log)
                throws IOException, InterruptedException {
            if (step.digest != null) {
                Digest given = Digest.parse(step.digest);
                if (image.digest().isPresent() && !image.digest().get().equals(given)) {
                    throw new AbortException("image " + image + " pins another digest than digest: " + given);
                }
                return List.of(given);
            }
            if (image.digest().isPresent()) {
                return List.of(image.digest().get());
            }
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                log.line("not inside node {}: signing the digest the registry serves now for " + image);
                return List.of();
            }
            DaemonDigestLookup lookup =
                    DaemonDigestLookup.forEnvironment(image, getContext().get(EnvVars.class));
            try {
                List<String> fromDaemon = workspace.act(lookup);
                if (fromDaemon == null || fromDaemon.isEmpty()) {
                    log.line(lookup.daemonDescription() + " has no pushed digest for " + image
                            + ": signing the digest the registry serves now");
                    return List.of();
                }
                List<Digest> digests = new ArrayList<>();
                for (String text : fromDaemon) {
                    digests.add(Digest.parse(text));
                }
                log.line("digest pushed by this agent's Docker daemon: " + fromDaemon
                        + " (the signature is refused if the registry's tag now points elsewhere)");
                return digests;
            } catch (IOException e) {
                log.line("could not ask " + lookup.daemonDescription() + " (" + StepSupport.reason(e)
                        + "): signing the digest the registry serves now for " + image);
                return List.of();
            }
        }

        /**
         * The build's SLSA provenance, when asked for. Asked for by the global default only, a Jenkins without a root URL
         * signs without it (and says so); asked for by the step, that is an error.
         */
        private List<Predicate> provenance(Run<?, ?> run, EffectiveSettings settings, BuildLog log)
                throws AbortException {
            if (!settings.provenance(step.provenance)) {
                return List.of();
            }
            if (Jenkins.get().getRootUrl() == null && step.provenance == null) {
                log.line("no provenance published: the Jenkins URL is not set (Manage Jenkins › System), and the builder"
                        + " id is made from it");
                return List.of();
            }
            JenkinsBuild build = BuildFacts.of(run, List.of(), Instant.now());
            return List.of(new Predicate(PredicateTypes.SLSA_PROVENANCE_V1, SlsaProvenance.predicate(build)));
        }

        private Map<String, String> annotations(Run<?, ?> run) throws AbortException {
            Map<String, String> all = new LinkedHashMap<>(step.annotations);
            for (String reserved : List.of(ANNOTATION_JOB, ANNOTATION_BUILD_NUMBER, ANNOTATION_BUILD_URL)) {
                if (all.containsKey(reserved)) {
                    throw new AbortException(
                            "annotation " + reserved + " is set by Jenkins itself; choose another key");
                }
            }
            all.put(ANNOTATION_JOB, run.getParent().getFullName());
            all.put(ANNOTATION_BUILD_NUMBER, String.valueOf(run.getNumber()));
            String rootUrl = Jenkins.get().getRootUrl();
            if (rootUrl != null) {
                all.put(ANNOTATION_BUILD_URL, rootUrl + run.getUrl());
            }
            return all;
        }

        /**
         * The run action and the step's value. The log already has the engine's one line per signed digest (and per
         * Notary tag): the step adds none of its own.
         */
        private static Map<String, Object> report(Run<?, ?> run, ImageReference image, SignResult result) {
            String pinned = image.withDigest(result.digest()).pinned();
            String keyId = result.keyId().hex();
            List<Map<String, Object>> manifests = new ArrayList<>();
            List<ImageTrustRecord.PlatformManifest> platforms = new ArrayList<>();
            for (SignedManifest listed : result.manifests()) {
                String platform = listed.manifest().platformText();
                String listedPinned =
                        image.repositoryOnly().withDigest(listed.digest()).pinned();
                Map<String, Object> manifest = new HashMap<>();
                manifest.put("digest", listed.digest().toString());
                manifest.put("reference", listedPinned);
                manifest.put("platform", platform);
                manifest.put("parent", listed.parent().toString());
                manifest.put("signatureTag", listed.legacySignatureTag().orElse(null));
                manifest.put(
                        "referrerDigest",
                        listed.referrerDigest().map(Digest::toString).orElse(null));
                manifests.add(manifest);
                platforms.add(new ImageTrustRecord.PlatformManifest(
                        platform, listed.digest().toString()));
            }
            ImageTrustAction.record(
                    run,
                    new ImageTrustRecord(
                            "sign",
                            image.toString(),
                            result.digest().toString(),
                            List.of(keyId),
                            ImageTrustRecord.Verdict.SIGNED,
                            signaturesStood(result)
                                    ? "already signed by this key with the same annotations (an earlier build's"
                                            + " signature stands; nothing added"
                                            + (result.attestations().isEmpty() ? ")" : "; this build's provenance added)")
                                    : null,
                            platforms));
            Map<String, Object> value = new HashMap<>();
            value.put("digest", result.digest().toString());
            value.put("reference", pinned);
            value.put("keyId", keyId);
            value.put("signatureTag", result.legacySignatureTag().orElse(null));
            value.put(
                    "referrerDigest",
                    result.referrerDigest().map(Digest::toString).orElse(null));
            value.put("manifests", manifests);
            result.notary()
                    .ifPresent(published ->
                            value.put("notaryRole", published.resolution().role()));
            return value;
        }
    }

    /** Whether every signature asked for was already there (attestations, made per build, are not counted). */
    private static boolean signaturesStood(SignResult result) {
        return result.signatures().alreadyPresent()
                && result.manifests().stream().allMatch(SignedManifest::alreadyPresent);
    }

    /** {@code signImage} in the Snippet Generator and the Pipeline DSL. */
    @Extension
    public static final class DescriptorImpl extends SigningStepDescriptor {
        @Override
        public String getFunctionName() {
            return "signImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SignImageStep_DisplayName();
        }

        @POST
        public FormValidation doCheckDigest(@QueryParameter String value) {
            return ImageChecks.checkOptional(value, Digest::parse);
        }
    }
}
