package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.KeylessIdentity;
import io.jenkins.plugins.imagetrust.config.TrustedSigstoreRoot;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages.Layout;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages.Signing;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.KeyType;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code verifyImage} on keyless-signed images in a real docker-registry, in both layouts cosign writes (the legacy
 * {@code .sig} layer with the certificate annotations, and the v0.3 bundle referrer). The signing material is made by a
 * test Sigstore ({@link TestSigstore}: Fulcio-like CA, CT log, Rekor-like log) whose {@code trusted_root.json} is
 * pasted on the global page with the trusted identities, as an administrator would.
 */
@WithJenkins
class KeylessPipelineTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    static final String WORKFLOW = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";
    static final String OTHER_WORKFLOW = "https://github.com/example/other/.github/workflows/release.yml@refs/heads/main";

    private JenkinsRule j;
    private TestSigstore sigstore;
    private int images;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        // The real clock: the page's windows and the step's verification are judged now, as in production.
        sigstore = new TestSigstore(Instant.now());
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        config.setTrustedRoots(List.of(new TrustedSigstoreRoot(
                "test-root", new String(sigstore.trustedRootJson(), StandardCharsets.UTF_8))));
        config.setTrustedIdentities(List.of(identity("release", WORKFLOW), identity("other", OTHER_WORKFLOW)));
    }

    private static KeylessIdentity identity(String name, String subject) {
        KeylessIdentity identity = new KeylessIdentity(name);
        identity.setIssuer(TestSigstore.GITHUB_ISSUER);
        identity.setSubject(subject);
        identity.setTrustedRoot("test-root");
        return identity;
    }

    /** Pushes a fresh image, keyless-signs it as {@code change} says, and returns how a Jenkinsfile names it. */
    private String signedImage(Layout layout, Consumer<Signing> change) throws Exception {
        String path = "keyless/app" + (++images) + ":1.0";
        ImageReference image = REGISTRY.reference(path);
        Digest digest = TestImages.push(image, "keyless image " + images);
        Signing signing = new Signing(RegistryClient.builder().build(), sigstore, layout);
        change.accept(signing);
        signing.push(image, digest);
        return REGISTRY.host() + "/" + path;
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, job);
    }

    private ImageTrustRecord record(WorkflowRun build) {
        return build.getAction(ImageTrustAction.class).getRecords().get(0);
    }

    @Test
    void aKeylessSignedImageVerifiesInEachLayoutAgainstTheRootAndIdentityOfTheGlobalPage() throws Exception {
        for (Layout layout : Layout.values()) {
            verifiesAgainstThePage(layout);
        }
    }

    private void verifiesAgainstThePage(Layout layout) throws Exception {
        String image = signedImage(layout, s -> { });

        WorkflowRun build = run(
                "def v = verifyImage image: '" + image + "'\n"
                        + "echo \"VERIFIED ${v.verified} IDENTITY ${v.signatures.get(0).identity}"
                        + " CERTIFICATE ${v.signatures.get(0).certificateIdentity} ISSUER ${v.signatures.get(0).certificateIssuer}"
                        + " FORMAT ${v.signatures.get(0).format} KEY ${v.signatures.get(0).keyId}\"\n",
                Result.SUCCESS);

        j.assertLogContains("VERIFIED true IDENTITY release CERTIFICATE " + WORKFLOW + " ISSUER "
                + TestSigstore.GITHUB_ISSUER + " FORMAT " + (layout == Layout.LEGACY ? "legacy" : "bundle")
                + " KEY null", build);
        j.assertLogContains("signed by keyless: release = " + WORKFLOW, build);
        ImageTrustRecord verify = record(build);
        assertThat(verify.getVerdict()).isEqualTo(ImageTrustRecord.Verdict.VERIFIED);
        assertThat(verify.getIdentities()).containsExactly("release");
        assertThat(verify.getKeyIds()).isEmpty();
        assertThat(verify.getPolicy()).isEqualTo("enforce, 1 of release, other");
        assertThat(j.createWebClient().goTo(build.getUrl()).asNormalizedText()).contains("keyless: release");
    }

    @Test
    void identitiesNarrowTheAdministratorsListAndCannotAddToIt() throws Exception {
        String image = signedImage(Layout.BUNDLE, s -> { });

        WorkflowRun chosen = run("verifyImage image: '" + image + "', identities: ['release']\n", Result.SUCCESS);
        j.assertLogContains("policy: enforce, 1 of release)", chosen);

        WorkflowRun other = run("verifyImage image: '" + image + "', identities: ['other']\n", Result.FAILURE);
        j.assertLogContains("IDENTITY_MISMATCH", other);
        j.assertLogContains(WORKFLOW, other);
        assertThat(record(other).getVerdict()).isEqualTo(ImageTrustRecord.Verdict.FAILED);

        WorkflowRun added = run("verifyImage image: '" + image + "', identities: ['mine']\n", Result.FAILURE);
        j.assertLogContains("no trusted identity is named \"mine\"", added);
        j.assertLogContains("a Jenkinsfile can only choose among the identities in Manage Jenkins", added);
    }

    @Test
    void anIdentityThatIsNotOnThePageDoesNotCount() throws Exception {
        String image = signedImage(Layout.LEGACY, s -> s.leaf = b -> b.uri(
                "https://github.com/attacker/app/.github/workflows/release.yml@refs/heads/main"));

        WorkflowRun build = run("verifyImage image: '" + image + "'\necho 'AFTER'\n", Result.FAILURE);

        j.assertLogContains("IDENTITY_MISMATCH", build);
        j.assertLogContains("https://github.com/attacker/app", build);
        j.assertLogNotContains("AFTER", build);
        assertThat(record(build).getIdentities()).isEmpty();
    }

    @Test
    void aWrongIssuerOrAnUntrustedCaFailsInEachLayoutWithItsReasonInTheLog() throws Exception {
        for (Layout layout : Layout.values()) {
            failsWithItsReason(layout);
        }
    }

    private void failsWithItsReason(Layout layout) throws Exception {
        String wrongIssuer = signedImage(layout,
                s -> s.leaf = b -> b.issuer(Optional.of("https://issuer.example"), Optional.of("https://issuer.example")));
        WorkflowRun issuer = run("verifyImage image: '" + wrongIssuer + "'\n", Result.FAILURE);
        j.assertLogContains("ISSUER_MISMATCH", issuer);
        j.assertLogContains("https://issuer.example", issuer);

        Instant now = sigstore.now();
        TestSigstore.Ca otherRoot = TestSigstore.selfSignedCa(
                "other", KeyType.P384, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        TestSigstore.Ca otherIntermediate = TestSigstore.subordinateCa(otherRoot, "sigstore-test-intermediate",
                KeyType.P384, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        String untrusted = signedImage(layout, s -> s.leaf = b -> b.issuedBy(otherIntermediate));
        WorkflowRun ca = run("verifyImage image: '" + untrusted + "'\n", Result.FAILURE);
        j.assertLogContains("CERTIFICATE_UNTRUSTED", ca);
        assertThat(record(ca).getReason()).isNotBlank();
    }

    @Test
    void warnModeMarksTheBuildUnstableAndContinues() throws Exception {
        ImageTrustConfiguration.get().setDefaultMode("warn");
        String image = signedImage(Layout.BUNDLE,
                s -> s.leaf = b -> b.issuer(Optional.of("https://issuer.example"), Optional.of("https://issuer.example")));

        WorkflowRun build = run("def v = verifyImage image: '" + image + "'\necho \"AFTER ${v.verified}\"\n",
                Result.UNSTABLE);

        j.assertLogContains("ISSUER_MISMATCH", build);
        j.assertLogContains("AFTER false", build);
        assertThat(record(build).getVerdict()).isEqualTo(ImageTrustRecord.Verdict.WARNED);
    }

    @Test
    void anExtensionRuleMustMatchTheCertificate() throws Exception {
        KeylessIdentity main = identity("main-branch", WORKFLOW);
        main.setExtensions("githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main\n");
        KeylessIdentity tagged = identity("tags-only", WORKFLOW);
        tagged.setExtensions("githubWorkflowRef=refs/tags/v1.0");
        ImageTrustConfiguration.get().setTrustedIdentities(List.of(main, tagged));
        String image = signedImage(Layout.LEGACY, s -> { });

        WorkflowRun matching = run("verifyImage image: '" + image + "', identities: ['main-branch']\n", Result.SUCCESS);
        assertThat(record(matching).getIdentities()).containsExactly("main-branch");

        WorkflowRun other = run("verifyImage image: '" + image + "', identities: ['tags-only']\n", Result.FAILURE);
        j.assertLogContains("IDENTITY_MISMATCH", other);
        j.assertLogContains("githubWorkflowRef extension is 'refs/heads/main'", other);
    }
}
