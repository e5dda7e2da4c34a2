package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Configuration as Code: the global page and the signing-key credential import, and the page exports again. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void importsTheGlobalPageAndTheCredential(JenkinsConfiguredWithCodeRule j) {
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        assertThat(config.getDefaultMode()).isEqualTo("warn");
        assertThat(config.getDefaultThreshold()).isEqualTo(2);
        assertThat(config.getDefaultSignatureFormat()).isEqualTo("legacy");
        assertThat(config.getSignatureRepository()).isEqualTo("registry.example.com/signatures");
        assertThat(config.insecureRegistrySet()).containsExactly("registry.internal:5000");
        assertThat(config.getNotaryServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(config.getPkcs11PinCredentialsId()).isEqualTo("hsm-pin");
        assertThat(config.mayUseHsm("release/app")).isTrue();
        // The flat YAML keys land in the nested settings the steps read.
        assertThat(config.getNotary().getServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(config.getHsm().getModulePath()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
        assertThat(config.getHsm().getKeyAlias()).isEqualTo("release");
        assertThat(config.getHsm().isConfigured()).isTrue();
        assertThat(config.getTrustedKeys()).hasSize(2);
        TrustedPublicKey release = config.getTrustedKeys().get(0);
        assertThat(release.getName()).isEqualTo("release-2026");
        assertThat(release.getNotBefore()).isEqualTo("2026-01-01");
        assertThat(release.getNotAfter()).isEqualTo("2027-01-01");
        assertThat(release.isRevoked()).isFalse();
        assertThat(release.getKeyId()).isEqualTo(new TrustedPublicKey("x", TestImages.publicKeyPem()).getKeyId());
        assertThat(config.getTrustedKeys().get(1).isRevoked()).isTrue();

        ImageSigningKeyCredentials key = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(
                        ImageSigningKeyCredentials.class,
                        j.jenkins,
                        ACL.SYSTEM2,
                        Collections.<DomainRequirement>emptyList()),
                CredentialsMatchers.withId("release-key"));
        assertThat(key).isNotNull();
        assertThat(Secret.toString(key.getPassphrase())).isEqualTo(TestImages.KEY_PASSPHRASE);
        assertThat(Secret.toString(key.getPrivateKey())).contains("BEGIN ENCRYPTED COSIGN PRIVATE KEY");
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void exportsWhatItImported(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = Util.getUnclassifiedRoot(context).get("imageTrust");
        String exported = Util.toYamlString(node);

        assertThat(exported)
                .contains("defaultMode: \"warn\"")
                .contains("defaultThreshold: 2")
                .contains("defaultSignatureFormat: \"legacy\"")
                .contains("notaryServerUrl: \"https://notary.example.com:4443\"")
                .contains("pkcs11AllowedJobs: \"release/.*\"")
                .contains("name: \"release-2026\"")
                .contains("notBefore: \"2026-01-01\"")
                .contains("revoked: true")
                .contains("publicKey:")
                // the YAML keeps the flat keys of earlier versions: no nested notary or hsm block
                .doesNotContain("serverUrl:")
                .doesNotContain("modulePath:")
                // computed, read-only: not configuration
                .doesNotContain("keyId");
    }
}
