package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.run.ImageTrustAction;
import io.jenkins.plugins.imagetrust.run.ImageTrustRecord;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The floor with values set by Configuration as Code ({@code policy-floor.yml}: keys release and backup, 2 signatures,
 * enforce): a Jenkinsfile that asks for less fails naming the administrator's setting, one that narrows is held to it.
 */
@WithJenkinsConfiguredWithCode
class PolicyFloorPipelineTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    @Test
    @ConfiguredWithCode("policy-floor.yml")
    void aJenkinsfileCannotLowerTheThresholdRelaxTheModeOrAddAKey(JenkinsConfiguredWithCodeRule j) throws Exception {
        String image = REGISTRY.host() + "/floor/app:1.0";
        TestImages.push(REGISTRY.reference("floor/app:1.0"), "floor");

        WorkflowRun lower = run(j, "verifyImage image: '" + image + "', threshold: 1\necho 'AFTER'\n", Result.FAILURE);
        j.assertLogContains(
                "verifyImage threshold 1 is below the minimum of 2 set in Manage Jenkins › System › Image Trust",
                lower);
        j.assertLogNotContains("AFTER", lower);

        WorkflowRun relax = run(j, "verifyImage image: '" + image + "', mode: 'warn'\necho 'AFTER'\n", Result.FAILURE);
        j.assertLogContains("verifyImage mode 'warn' would relax the enforce mode set in Manage Jenkins", relax);
        j.assertLogNotContains("AFTER", relax);

        WorkflowRun add = run(j, "verifyImage image: '" + image + "', keys: ['mine']\n", Result.FAILURE);
        j.assertLogContains("no trusted key is named \"mine\"", add);
        assertThat(add.getAction(ImageTrustAction.class).getRecords())
                .singleElement()
                .extracting(ImageTrustRecord::getVerdict)
                .isEqualTo(ImageTrustRecord.Verdict.FAILED);
    }

    @Test
    @ConfiguredWithCode("policy-floor.yml")
    void narrowingTheKeysKeepsTheThresholdAndTheSummarySaysWhichPolicyApplied(JenkinsConfiguredWithCodeRule j)
            throws Exception {
        String image = REGISTRY.host() + "/floor/narrow:1.0";
        TestImages.push(REGISTRY.reference("floor/narrow:1.0"), "narrow");

        WorkflowRun build = run(
                j,
                "signImage image: '" + image + "', credentialsId: 'release-key'\n" + "verifyImage image: '" + image
                        + "', keys: ['release'], mode: 'enforce', threshold: 2\n",
                Result.FAILURE);

        // Two keys' worth of signatures required, one key chosen: refused before any request, naming both numbers.
        j.assertLogContains("threshold 2 can never be met with 1 trusted key(s)", build);
        ImageTrustRecord verify =
                build.getAction(ImageTrustAction.class).getRecords().get(1);
        assertThat(verify.getVerdict()).isEqualTo(ImageTrustRecord.Verdict.FAILED);
        assertThat(verify.getPolicy()).isEqualTo("enforce, 2 of release");
        assertThat(j.createWebClient().goTo(build.getUrl()).asNormalizedText())
                .contains("Policy: enforce, 2 of release");
    }

    private static WorkflowRun run(JenkinsConfiguredWithCodeRule j, String script, Result expected) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, job);
    }
}
