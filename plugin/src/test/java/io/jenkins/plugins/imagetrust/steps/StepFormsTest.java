package io.jenkins.plugins.imagetrust.steps;

import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The Snippet Generator forms (config.jelly) keep every form-bound parameter of both steps. */
@WithJenkins
class StepFormsTest {

    @Test
    void signImageFormRoundTrip(JenkinsRule j) throws Exception {
        SignImageStep step = new SignImageStep("registry.example.com/team/app:1.0");
        step.setCredentialsId("release-key");
        step.setRegistryCredentialsId("registry-login");
        step.setSignatureRepository("registry.example.com/team/signatures");
        step.setDigest("sha256:" + "ab".repeat(32));
        step.setSignatureFormat("bundle");
        step.setNotary(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void signImageWithHsmFormRoundTrip(JenkinsRule j) throws Exception {
        SignImageStep step = new SignImageStep("registry.example.com/team/app:1.0");
        step.setHsm(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void verifyImageFormRoundTrip(JenkinsRule j) throws Exception {
        VerifyImageStep step = new VerifyImageStep("registry.example.com/team/app:1.0");
        step.setMode("warn");
        step.setThreshold(2);
        step.setRegistryCredentialsId("registry-login");
        step.setSignatureRepository("registry.example.com/team/signatures");

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void multiPlatformFieldsRoundTrip(JenkinsRule j) throws Exception {
        SignImageStep shallow = new SignImageStep("registry.example.com/team/app:1.0");
        shallow.setCredentialsId("release-key");
        shallow.setRecursive(false);
        j.assertEqualDataBoundBeans(shallow, new StepConfigTester(j).configRoundTrip(shallow));
        SignImageStep byDefault = new SignImageStep("registry.example.com/team/app:1.0");
        byDefault.setCredentialsId("release-key");
        SignImageStep roundTripped = new StepConfigTester(j).configRoundTrip(byDefault);
        org.assertj.core.api.Assertions.assertThat(roundTripped.isRecursive()).isTrue();

        VerifyImageStep platform = new VerifyImageStep("registry.example.com/team/app:1.0");
        platform.setPlatform("linux/arm64");
        j.assertEqualDataBoundBeans(platform, new StepConfigTester(j).configRoundTrip(platform));
    }
}
