package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Pipelines (in the Groovy sandbox) that sign and verify images in a real docker-registry, with the real cosign test
 * key. Nothing is pushed by the Pipeline itself: the images are put into the registry by the test.
 */
@WithJenkins
class SignAndVerifyPipelineTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final String REGISTRY_PASSWORD = "registry-pw-never-logged";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        CredentialsProvider.lookupStores(j.jenkins)
                .iterator()
                .next()
                .addCredentials(
                        Domain.global(),
                        new ImageSigningKeyCredentials(
                                CredentialsScope.GLOBAL,
                                "release-key",
                                "release signing key",
                                Secret.fromString(TestImages.privateKeyPem()),
                                Secret.fromString(TestImages.KEY_PASSPHRASE)));
        CredentialsProvider.lookupStores(j.jenkins)
                .iterator()
                .next()
                .addCredentials(
                        Domain.global(),
                        new UsernamePasswordCredentialsImpl(
                                CredentialsScope.GLOBAL, "registry-login", "registry", "ci", REGISTRY_PASSWORD));
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(new TrustedPublicKey("release", TestImages.publicKeyPem())));
    }

    @Test
    void signsThenVerifiesInTheSandbox() throws Exception {
        String image = REGISTRY.host() + "/lab/app:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("lab/app:1.0"), "app 1.0");

        WorkflowRun build = run(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key',"
                        + " registryCredentialsId: 'registry-login', annotations: [git: 'abc123']\n"
                        + "echo \"SIGNED ${s.reference} KEY ${s.keyId} TAG ${s.signatureTag} REFERRER ${s.referrerDigest}\"\n"
                        + "def v = verifyImage image: '" + image + "', requiredAnnotations: [git: 'abc123']\n"
                        + "echo \"VERIFIED ${v.verified} ${v.digest} COUNTED ${v.signatures.get(0).counted}"
                        + " FORMATS ${v.signatures.get(0).format} ${v.signatures.get(1).format}\"\n",
                Result.SUCCESS);

        String keyId = new TrustedPublicKey("release", TestImages.publicKeyPem()).getKeyId();
        j.assertLogContains("SIGNED " + REGISTRY.host() + "/lab/app@" + pushed, build);
        j.assertLogContains("KEY " + keyId, build);
        j.assertLogContains("TAG " + pushed.signatureTag() + " REFERRER sha256:", build);
        j.assertLogContains("VERIFIED true " + pushed + " COUNTED true FORMATS legacy bundle", build);
        j.assertLogContains("not inside node {}", build);

        ImageTrustAction action = build.getAction(ImageTrustAction.class);
        assertThat(action).isNotNull();
        assertThat(action.getRecords())
                .extracting(ImageTrustRecord::getOperation, ImageTrustRecord::getDigest, ImageTrustRecord::getVerdict)
                .containsExactly(
                        tuple("sign", pushed.toString(), ImageTrustRecord.Verdict.SIGNED),
                        tuple("verify", pushed.toString(), ImageTrustRecord.Verdict.VERIFIED));
        assertThat(action.getRecords().get(1).getKeyIds()).containsExactly(keyId);
        assertThat(build.getBadgeActions()).contains(action);
        assertThat(action.getBadgeIcon()).isEqualTo("symbol-check");

        // Persisted with the run.
        String buildXml = Files.readString(build.getRootDir().toPath().resolve("build.xml"), StandardCharsets.UTF_8);
        assertThat(buildXml).contains("ImageTrustAction").contains(pushed.toString());

        // The build page shows the summary table, digests and key ids abbreviated with the full value as tooltip.
        HtmlPage page = j.createWebClient().goTo(build.getUrl());
        String shortDigest = "sha256:" + pushed.hex().substring(0, 12) + "…";
        assertThat(page.asNormalizedText())
                .contains("Image Trust")
                .contains(shortDigest)
                .contains(keyId.substring(0, 12) + "…")
                .contains("verified")
                .contains("Policy: enforce, 1 of release; requires git=abc123")
                .doesNotContain(pushed.toString());
        assertThat(page.asXml()).contains("title=\"" + pushed + "\"").contains("title=\"" + keyId + "\"");

        // One log line per signed digest: the engine's, not a second one from the step.
        assertThat(JenkinsRule.getLog(build).lines().filter(line -> line.contains("[Image Trust] signed ")))
                .singleElement()
                .asString()
                .contains(REGISTRY.host() + "/lab/app@" + pushed);

        // The records are in the run's REST API.
        String json = j.createWebClient()
                .goTo(build.getUrl() + "api/json", "application/json")
                .getWebResponse()
                .getContentAsString();
        assertThat(json)
                .contains("\"overallVerdict\":\"VERIFIED\"")
                .contains("\"operation\":\"sign\"")
                .contains("\"operation\":\"verify\"")
                .contains("\"digest\":\"" + pushed + "\"")
                .contains("\"keyIds\":[\"" + keyId + "\"]");

        // Stage views label each step with its image.
        assertThat(new DepthFirstScanner().allNodes(build.getExecution()))
                .filteredOn(node -> "signImage".equals(node.getDisplayFunctionName()))
                .singleElement()
                .extracting(ArgumentsAction::getStepArgumentsAsString)
                .isEqualTo(image);

        assertNoSecretIn(build);
    }

    @Test
    void rebuildingTheSameDigestAddsNoSignatureAndPointsAtTheExistingOne() throws Exception {
        String image = REGISTRY.host() + "/lab/rebuilt:1.0";
        TestImages.push(REGISTRY.reference("lab/rebuilt:1.0"), "rebuilt");
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key', annotations: [git: 'abc']\n"
                        + "def v = verifyImage image: '" + image + "'\n"
                        + "echo \"REFERRER ${s.referrerDigest} CHECKS ${v.signatures.size()}\"\n",
                true));

        WorkflowRun first = j.buildAndAssertSuccess(job);
        WorkflowRun second = j.buildAndAssertSuccess(job);

        j.assertLogContains("CHECKS 2", second); // still one .sig layer and one bundle
        String referrer = JenkinsRule.getLog(first)
                .lines()
                .filter(line -> line.startsWith("REFERRER "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        j.assertLogContains("REFERRER " + referrer + " CHECKS 2", second);
        j.assertLogContains("already signed", second);
        assertThat(second.getAction(ImageTrustAction.class).getRecords().get(0).getReason())
                .contains("an earlier build's signature stands");
    }

    @Test
    void signatureFormatChoosesWhatIsWrittenAndAnUnknownOneFailsClearly() throws Exception {
        String image = REGISTRY.host() + "/lab/formats:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("lab/formats:1.0"), "formats");
        ImageTrustConfiguration.get().setDefaultSignatureFormat("legacy");

        WorkflowRun byDefault = run(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key'\n"
                        + "echo \"TAG ${s.signatureTag} REFERRER ${s.referrerDigest}\"\n"
                        + "def v = verifyImage image: '" + image + "'\n"
                        + "echo \"VERIFIED ${v.verified} CHECKS ${v.signatures.size()}\"\n",
                Result.SUCCESS);
        j.assertLogContains("TAG " + pushed.signatureTag() + " REFERRER null", byDefault);
        j.assertLogContains("VERIFIED true CHECKS 1", byDefault);

        WorkflowRun bundle = run(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key', signatureFormat: 'bundle'\n"
                        + "echo \"TAG ${s.signatureTag} REFERRER ${s.referrerDigest}\"\n"
                        + "def v = verifyImage image: '" + image + "'\n"
                        + "echo \"VERIFIED ${v.verified} CHECKS ${v.signatures.size()}\"\n",
                Result.SUCCESS);
        j.assertLogContains("TAG null REFERRER sha256:", bundle);
        j.assertLogContains("VERIFIED true CHECKS 2", bundle); // the key counts once: the second check is a duplicate

        WorkflowRun unknown = run(
                "signImage image: '" + image + "', credentialsId: 'release-key', signatureFormat: 'sideways'\n",
                Result.FAILURE);
        j.assertLogContains("unknown signature format 'sideways'", unknown);
        assertThatThrownBy(() -> ImageTrustConfiguration.get().setDefaultSignatureFormat("sideways"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageTrustConfiguration.get().getDefaultSignatureFormat()).isEqualTo("legacy");
    }

    @Test
    void enforceFailsTheBuildWithTheReason() throws Exception {
        String image = REGISTRY.host() + "/lab/unsigned:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("lab/unsigned:1.0"), "never signed");

        WorkflowRun build = run("verifyImage image: '" + image + "', mode: 'enforce'\necho 'AFTER'\n", Result.FAILURE);

        j.assertLogContains("is not trusted", build);
        j.assertLogNotContains("AFTER", build);
        ImageTrustRecord record =
                build.getAction(ImageTrustAction.class).getRecords().get(0);
        assertThat(record.getVerdict()).isEqualTo(ImageTrustRecord.Verdict.FAILED);
        assertThat(record.getDigest()).isEqualTo(pushed.toString());
        assertThat(record.getReason()).isNotBlank();
    }

    @Test
    void warnMarksTheBuildAndTheStageUnstableAndContinues() throws Exception {
        String image = REGISTRY.host() + "/lab/unsigned-warn:1.0";
        TestImages.push(REGISTRY.reference("lab/unsigned-warn:1.0"), "never signed either");
        ImageTrustConfiguration.get().setDefaultMode("warn");

        WorkflowRun build = run(
                "def v = verifyImage image: '" + image + "', mode: 'warn'\n"
                        + "echo \"AFTER verified=${v.verified}\"\n",
                Result.UNSTABLE);

        j.assertLogContains("AFTER verified=false", build);
        assertThat(build.getAction(ImageTrustAction.class).getOverallVerdict())
                .isEqualTo(ImageTrustRecord.Verdict.WARNED);
        // Stage views show the enclosing stage unstable: the step's node carries a warning, as the unstable step's
        // does.
        assertThat(new DepthFirstScanner().allNodes(build.getExecution()))
                .map(node -> node.getPersistentAction(WarningAction.class))
                .filteredOn(Objects::nonNull)
                .singleElement()
                .satisfies(warning -> {
                    assertThat(warning.getResult()).isEqualTo(Result.UNSTABLE);
                    assertThat(warning.getMessage()).contains("is not trusted");
                });
    }

    @Test
    void aSignatureByAnUntrustedKeyDoesNotCount() throws Exception {
        String image = REGISTRY.host() + "/lab/other-key:1.0";
        TestImages.push(REGISTRY.reference("lab/other-key:1.0"), "signed by release, trusted: only another key");
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(new TrustedPublicKey("other", TestImages.otherPublicKeyPem())));
        ImageTrustConfiguration.get().setDefaultMode("warn");

        WorkflowRun build = run(
                "signImage image: '" + image + "', credentialsId: 'release-key'\n"
                        + "def v = verifyImage image: '" + image + "', mode: 'warn'\n"
                        + "echo \"COUNTED ${v.signatures.get(0).counted} REASON ${v.signatures.get(0).reason}\"\n",
                Result.UNSTABLE);

        j.assertLogContains("COUNTED false REASON ", build);
        assertNoSecretIn(build);
    }

    @Test
    void aMissingCredentialFailsClearly() throws Exception {
        WorkflowRun build = run(
                "signImage image: '" + REGISTRY.host() + "/lab/app:1.0', credentialsId: 'no-such-key'\n",
                Result.FAILURE);

        j.assertLogContains("no credential with id \"no-such-key\"", build);
    }

    @Test
    void insideNodeTheDigestComesFromTheAgentOrTheLogSaysWhyNot() throws Exception {
        String image = REGISTRY.host() + "/lab/in-node:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("lab/in-node:1.0"), "in node");

        // The test daemon address answers nothing: the step must say so and fall back to the registry's digest.
        WorkflowRun build = run(
                "node { withEnv(['DOCKER_HOST=unix:///nonexistent/docker.sock']) {\n"
                        + "  def s = signImage image: '" + image + "', credentialsId: 'release-key'\n"
                        + "  echo \"SIGNED ${s.digest}\"\n"
                        + "} }\n",
                Result.SUCCESS);

        j.assertLogContains("could not ask unix:///nonexistent/docker.sock", build);
        j.assertLogContains("SIGNED " + pushed, build);
        assertNoSecretIn(build);
    }

    @Test
    void signingAnIndexSignsEveryPlatformAndVerifyImageSelectsOne() throws Exception {
        ImageReference tag = REGISTRY.reference("lab/multi:1.0");
        RegistryClient registry = RegistryClient.builder().build();
        io.jenkins.plugins.imagetrust.engine.testing.TestImages.MultiPlatform pushed =
                io.jenkins.plugins.imagetrust.engine.testing.TestImages.pushMultiPlatform(registry, tag);
        Descriptor amd64 = pushed.amd64();
        Descriptor arm64 = pushed.arm64();
        Descriptor attestation = pushed.attestation();
        Descriptor index = pushed.index();
        String image = tag.toString();

        WorkflowRun build = run(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key', annotations: [git: 'abc']\n"
                        + "echo \"INDEX ${s.digest} LISTED ${s.manifests.size()}\"\n"
                        + "for (m in s.manifests) { echo \"PLATFORM ${m.platform} ${m.digest} PARENT ${m.parent}"
                        + " TAG ${m.signatureTag}\" }\n"
                        + "def v = verifyImage image: '" + image + "', platform: 'linux/arm64',"
                        + " requiredAnnotations: [git: 'abc']\n"
                        + "echo \"ARM ${v.verified} ${v.digest} ${v.platform} OF ${v.index}\"\n",
                Result.SUCCESS);

        j.assertLogContains("INDEX " + index.digest() + " LISTED 2", build);
        j.assertLogContains(
                "PLATFORM linux/amd64 " + amd64.digest() + " PARENT " + index.digest() + " TAG "
                        + amd64.digest().signatureTag(),
                build);
        j.assertLogContains("PLATFORM linux/arm64/v8 " + arm64.digest() + " PARENT " + index.digest(), build);
        j.assertLogContains("ARM true " + arm64.digest() + " linux/arm64/v8 OF " + index.digest(), build);
        j.assertLogNotContains(attestation.digest().toString(), build);
        // the platform manifests carry their own signatures, with the Jenkins annotations
        assertThat(registry.fetchManifest(tag.repositoryOnly(), arm64.digest().signatureTag()))
                .isPresent();
        assertThat(registry.fetchManifest(
                        tag.repositoryOnly(), attestation.digest().signatureTag()))
                .isEmpty();

        ImageTrustRecord signed =
                build.getAction(ImageTrustAction.class).getRecords().get(0);
        assertThat(signed.getDigest()).isEqualTo(index.digest().toString());
        assertThat(signed.getPlatforms())
                .extracting(
                        ImageTrustRecord.PlatformManifest::getPlatform, ImageTrustRecord.PlatformManifest::getDigest)
                .containsExactly(
                        tuple("linux/amd64", amd64.digest().toString()),
                        tuple("linux/arm64/v8", arm64.digest().toString()));
        String page = j.createWebClient().goTo(build.getUrl()).asNormalizedText();
        assertThat(page).contains("2 platform manifests");

        WorkflowRun missing = run("verifyImage image: '" + image + "', platform: 'linux/s390x'\n", Result.FAILURE);
        j.assertLogContains("has no manifest for linux/s390x; it has linux/amd64, linux/arm64/v8", missing);

        WorkflowRun shallow = run(
                "def s = signImage image: '" + image + "', credentialsId: 'release-key', recursive: false\n"
                        + "echo \"LISTED ${s.manifests.size()}\"\n",
                Result.SUCCESS);
        j.assertLogContains("LISTED 0", shallow);
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, job);
    }

    private void assertNoSecretIn(WorkflowRun build) throws Exception {
        String log = JenkinsRule.getLog(build);
        assertThat(log)
                .doesNotContain(TestImages.KEY_PASSPHRASE)
                .doesNotContain(REGISTRY_PASSWORD)
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(
                        TestImages.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
    }
}
