package io.jenkins.plugins.imagetrust.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.BooleanParameterDefinition;
import hudson.model.Item;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.PasswordParameterDefinition;
import hudson.model.StringParameterDefinition;
import hudson.model.TaskListener;
import hudson.scm.SCM;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The facts a run gives its provenance: job, URLs, versions, the git-like revision scm-api records, and its
 * parameters without the password.
 */
@WithJenkins
class BuildFactsTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String SECRET = "s3cret-value-never-in-provenance";

    @Test
    void aRunWithARevisionAndParametersGivesCommitRefAndParametersButNeverThePassword(JenkinsRule j)
            throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        job.addProperty(new ParametersDefinitionProperty(
                new StringParameterDefinition("VERSION", "1.0", ""),
                new BooleanParameterDefinition("PUSH", true, ""),
                new PasswordParameterDefinition("TOKEN", SECRET, "")));
        job.setDefinition(new CpsFlowDefinition("echo 'built'\n", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);
        run.addAction(new SCMRevisionAction(GitLikeSourceLookup.SOURCE, new GitLikeRevision(new SCMHead("main"))));

        JenkinsBuild facts = BuildFacts.of(run, List.of(), Instant.now());

        String root = j.jenkins.getRootUrl();
        assertThat(facts.builderId()).isEqualTo(root + "job/app/");
        assertThat(facts.invocationId()).isEqualTo(root + "job/app/1/");
        assertThat(facts.jobFullName()).isEqualTo("app");
        assertThat(facts.parameters()).isEqualTo(Map.of("VERSION", "1.0", "PUSH", "true"));
        assertThat(facts.source()).hasValueSatisfying(source -> {
            assertThat(source.repository()).isEqualTo("https://git.example.test/team/app.git");
            assertThat(source.ref()).contains("refs/heads/main");
            assertThat(source.commit()).isEqualTo(COMMIT);
        });
        assertThat(facts.pluginVersion()).isNotBlank();
        String predicate = SlsaProvenance.predicate(facts).toString();
        assertThat(predicate).contains(COMMIT, "refs/heads/main", "\"VERSION\":\"1.0\"");
        assertThat(predicate).doesNotContain(SECRET).doesNotContain("TOKEN");
    }

    @Test
    void aRunWithoutARevisionHasNoSource(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "plain");
        job.setDefinition(new CpsFlowDefinition("echo 'built'\n", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);

        JenkinsBuild facts = BuildFacts.of(run, List.of(), Instant.now());

        assertThat(facts.source()).isEmpty();
        assertThat(facts.parameters()).isEmpty();
    }

    /** A revision shaped like the git plugin's: its commit behind a public {@code getHash()}. */
    public static final class GitLikeRevision extends SCMRevision {
        GitLikeRevision(SCMHead head) {
            super(head);
        }

        public String getHash() {
            return COMMIT;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GitLikeRevision revision && revision.getHead().equals(getHead());
        }

        @Override
        public int hashCode() {
            return getHead().hashCode();
        }
    }

    /** A source shaped like the git plugin's: its repository behind a public {@code getRemote()}. */
    public static final class GitLikeSource extends SCMSource {
        GitLikeSource() {
            super("git-like-source");
        }

        public String getRemote() {
            return "https://git.example.test/team/app.git";
        }

        @Override
        protected void retrieve(
                SCMSourceCriteria criteria, SCMHeadObserver observer, SCMHeadEvent<?> event, TaskListener listener) {
            // nothing to discover: the test adds the revision action itself
        }

        @Override
        public SCM build(SCMHead head, SCMRevision revision) {
            throw new UnsupportedOperationException("not used by the test");
        }
    }

    /** What branch-api does for a multibranch job: the source a job was made from. */
    @TestExtension("aRunWithARevisionAndParametersGivesCommitRefAndParametersButNeverThePassword")
    public static final class GitLikeSourceLookup extends SCMSource.SourceByItem {
        static final GitLikeSource SOURCE = new GitLikeSource();

        @Override
        public SCMSource getSource(Item item) {
            return "app".equals(item.getFullName()) ? SOURCE : null;
        }
    }
}
