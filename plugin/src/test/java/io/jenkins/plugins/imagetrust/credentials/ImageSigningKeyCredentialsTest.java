package io.jenkins.plugins.imagetrust.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credential's "Check key" answer, its permission gate, and what it keeps secret. */
@WithJenkins
class ImageSigningKeyCredentialsTest {

    @Test
    void checkKeyShowsAlgorithmAndKeyIdButNeverThePassphrase(JenkinsRule j) {
        ImageSigningKeyCredentials.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(ImageSigningKeyCredentials.DescriptorImpl.class);
        String keyId = new TrustedPublicKey("k", TestImages.publicKeyPem()).getKeyId();

        FormValidation good = descriptor.doValidateKey(null, TestImages.privateKeyPem(), TestImages.KEY_PASSPHRASE);
        assertThat(good.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(good.getMessage()).contains("ECDSA").contains(keyId);

        FormValidation wrong = descriptor.doValidateKey(null, TestImages.privateKeyPem(), "not-the-passphrase");
        assertThat(wrong.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(wrong.getMessage()).doesNotContain("not-the-passphrase");

        FormValidation garbage =
                descriptor.doValidateKey(null, "-----BEGIN NONSENSE-----\nAAAA\n-----END NONSENSE-----", "");
        assertThat(garbage.kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void checkKeyAnswersNothingToUsersWhoCannotCreateCredentials(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(
                new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("reader"));
        ImageSigningKeyCredentials.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(ImageSigningKeyCredentials.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            FormValidation answer =
                    descriptor.doValidateKey(null, TestImages.privateKeyPem(), TestImages.KEY_PASSPHRASE);
            assertThat(answer.kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(answer.getMessage()).isNullOrEmpty();
        }
    }

    @Test
    void theStoredFormKeepsKeyAndPassphraseEncrypted(JenkinsRule j) throws Exception {
        ImageSigningKeyCredentials credential = new ImageSigningKeyCredentials(
                CredentialsScope.GLOBAL,
                "release-key",
                "release",
                Secret.fromString(TestImages.privateKeyPem()),
                Secret.fromString(TestImages.KEY_PASSPHRASE));
        String xml = Jenkins.XSTREAM2.toXML(credential);

        assertThat(xml).doesNotContain(TestImages.KEY_PASSPHRASE).doesNotContain("COSIGN PRIVATE KEY");
        assertThat(credential.toString()).doesNotContain(TestImages.KEY_PASSPHRASE);
    }
}
