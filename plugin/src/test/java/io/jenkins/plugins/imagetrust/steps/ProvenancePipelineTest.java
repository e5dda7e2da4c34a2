package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Item;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.PasswordParameterDefinition;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.StringParameterDefinition;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.scm.SCM;
import hudson.util.Secret;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.engine.AttestationReport;
import io.jenkins.plugins.imagetrust.engine.AttestationVerification;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import java.util.List;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMHeadEvent;
import jenkins.scm.api.SCMHeadObserver;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A parameterised pipeline with a git-like source revision signs an image: signed SLSA provenance is published with
 * the signature, carrying the commit and the parameters but never the password; {@code verifyImage requireProvenance}
 * with the right builder passes and shows the provenance, with a wrong builder it fails with the reason.
 */
@WithJenkins
class ProvenancePipelineTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    private static final String SECRET = "deploy-token-never-in-provenance";

    @Test
    void signImagePublishesProvenanceThatVerifyImageRequires(JenkinsRule j) throws Exception {
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
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(new TrustedPublicKey("release", TestImages.publicKeyPem())));
        String image = REGISTRY.host() + "/prov/app:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("prov/app:1.0"), "provenance app");
        String builderId = j.jenkins.getRootUrl() + "job/app/";

        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        job.addProperty(new ParametersDefinitionProperty(
                new StringParameterDefinition("VERSION", "1.0", ""),
                new PasswordParameterDefinition("TOKEN", SECRET, "")));
        job.setDefinition(new CpsFlowDefinition(
                "signImage image: '" + image + "', credentialsId: 'release-key'\n"
                        + "def v = verifyImage image: '" + image + "', requireProvenance: true, builderId: '" + builderId
                        + "'\n"
                        + "echo \"PROVENANCE ${v.provenance}\"\n",
                true));
        WorkflowRun build = j.buildAndAssertSuccess(job);

        j.assertLogContains("PROVENANCE true", build);
        j.assertLogContains("provenance: built by " + builderId + " from https://git.example.test/team/app.git at "
                + COMMIT, build);
        j.assertLogNotContains(SECRET, build);
        ImageTrustRecord verify = build.getAction(ImageTrustAction.class).getRecords().get(1);
        assertThat(verify.getVerdict()).isEqualTo(ImageTrustRecord.Verdict.VERIFIED);
        assertThat(verify.getProvenance()).contains(COMMIT);
        assertThat(verify.getProvenanceUrl()).isEqualTo(j.jenkins.getRootUrl() + build.getUrl());
        assertThat(j.createWebClient().goTo(build.getUrl()).asNormalizedText()).contains("Provenance: built by");

        // The statement in the registry, read by the engine: the commit and the parameter, never the password.
        AttestationReport stored = AttestationVerification.builder()
                .registry(RegistryClient.builder().build())
                .keys(List.of(TrustedKey.builder("release", PublicKeys.parse(TestImages.publicKeyPem()))
                        .build()))
                .requirements(List.of(AttestationRequirement.of(PredicateTypes.SLSA_PROVENANCE_V1)))
                .build()
                .verify(REGISTRY.reference("prov/app@" + pushed));
        assertThat(stored.satisfied()).isTrue();
        String predicate = stored.verified().get(0).statement().predicate().toString();
        assertThat(predicate).contains(COMMIT, "\"VERSION\":\"1.0\"").doesNotContain(SECRET).doesNotContain("TOKEN");

        // The same image under a wrong builder: the verification fails with the reason.
        WorkflowJob other = j.createProject(WorkflowJob.class, "gate");
        other.setDefinition(new CpsFlowDefinition(
                "verifyImage image: '" + image + "', builderId: 'https://elsewhere.example.test/job/app/'\n", true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, other);
        j.assertLogContains("provenance did not count: BUILDER_ID_MISMATCH", refused);
    }

    @Test
    void provenanceFalseSignsWithoutIt(JenkinsRule j) throws Exception {
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
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(new TrustedPublicKey("release", TestImages.publicKeyPem())));
        String image = REGISTRY.host() + "/prov/plain:1.0";
        TestImages.push(REGISTRY.reference("prov/plain:1.0"), "no provenance");

        WorkflowJob job = j.createProject(WorkflowJob.class, "plain");
        job.setDefinition(new CpsFlowDefinition(
                "signImage image: '" + image + "', credentialsId: 'release-key', provenance: false\n"
                        + "verifyImage image: '" + image + "', requireProvenance: true\n",
                true));
        WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("provenance:", build);
    }

    @Test
    void attestImageAttachesAnSbomFromTheWorkspace(JenkinsRule j) throws Exception {
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
        String image = REGISTRY.host() + "/prov/sbom:1.0";
        Digest pushed = TestImages.push(REGISTRY.reference("prov/sbom:1.0"), "sbom app");

        WorkflowJob job = j.createProject(WorkflowJob.class, "sbom");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                        + "  writeFile file: 'sbom.spdx.json', text: '{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}'\n"
                        + "  def a = attestImage image: '" + image + "', predicate: 'sbom.spdx.json',"
                        + " predicateType: 'spdxjson', credentialsId: 'release-key'\n"
                        + "  echo \"ATTESTED ${a.digest} ${a.predicateType}\"\n"
                        + "  attestImage image: '" + image + "', predicate: 'missing.json', predicateType: 'spdxjson',"
                        + " credentialsId: 'release-key'\n"
                        + "}\n",
                true));
        WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("ATTESTED " + pushed + " https://spdx.dev/Document", build);
        j.assertLogContains("attestImage predicate: no file missing.json in the workspace", build);
        AttestationReport stored = AttestationVerification.builder()
                .registry(RegistryClient.builder().build())
                .keys(List.of(TrustedKey.builder("release", PublicKeys.parse(TestImages.publicKeyPem()))
                        .build()))
                .requirements(List.of(AttestationRequirement.of("spdxjson")))
                .build()
                .verify(REGISTRY.reference("prov/sbom@" + pushed));
        assertThat(stored.satisfied()).isTrue();
        assertThat(stored.verified().get(0).statement().predicate().path("spdxVersion").asText())
                .isEqualTo("SPDX-2.3");
    }

    /** A revision shaped like the git plugin's: its commit behind a public {@code getHash()}. */
    public static final class GitLikeRevision extends SCMRevision {
        GitLikeRevision() {
            super(new SCMHead("main"));
        }

        public String getHash() {
            return COMMIT;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GitLikeRevision;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** A source shaped like the git plugin's: its repository behind a public {@code getRemote()}. */
    public static final class GitLikeSource extends SCMSource {
        GitLikeSource() {
            super("git-like");
        }

        public String getRemote() {
            return "https://git.example.test/team/app.git";
        }

        @Override
        protected void retrieve(
                SCMSourceCriteria criteria, SCMHeadObserver observer, SCMHeadEvent<?> event, TaskListener listener) {
            // nothing to discover: the run listener below records the revision
        }

        @Override
        public SCM build(SCMHead head, SCMRevision revision) {
            throw new UnsupportedOperationException("not used by the test");
        }
    }

    /** What branch-api does for a multibranch job: the source the job "app" was made from. */
    @TestExtension("signImagePublishesProvenanceThatVerifyImageRequires")
    public static final class GitLikeSourceLookup extends SCMSource.SourceByItem {
        static final GitLikeSource SOURCE = new GitLikeSource();

        @Override
        public SCMSource getSource(Item item) {
            return "app".equals(item.getFullName()) ? SOURCE : null;
        }
    }

    /** What a multibranch build records when it starts: the revision it builds. */
    @TestExtension("signImagePublishesProvenanceThatVerifyImageRequires")
    public static final class RecordsTheRevision extends RunListener<Run<?, ?>> {
        @Override
        public void onStarted(Run<?, ?> run, TaskListener listener) {
            if ("app".equals(run.getParent().getFullName())) {
                run.addAction(new SCMRevisionAction(GitLikeSourceLookup.SOURCE, new GitLikeRevision()));
            }
        }
    }
}
