package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration as Code: the global page and the signing-key credential import, and the page exports again. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {
    @TempDir
    Path dir;

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

    /**
     * Identities and trusted roots export, and the exported YAML imported into an emptied page gives them back: what
     * an administrator who keeps the page in Git relies on.
     */
    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void identitiesAndTrustedRootsSurviveAnExportImportRoundTrip(JenkinsConfiguredWithCodeRule j) throws Exception {
        String rootJson = new String(new TestSigstore(Instant.now()).trustedRootJson(), StandardCharsets.UTF_8);
        KeylessIdentity identity = new KeylessIdentity("release-workflow");
        identity.setTrustedRoot("public-good");
        identity.setIssuer("https://token.actions.githubusercontent.com");
        identity.setSubjectRegExp("https://github\\.com/example/app/.*");
        identity.setExtensions("githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main");
        identity.setNotBefore("2026-01-01");
        identity.setNotAfter("2027-01-01");
        identity.setRevoked(true);
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        config.setTrustedIdentities(List.of(identity));
        config.setTrustedRoots(List.of(new TrustedSigstoreRoot("public-good", rootJson)));

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        String exported = Util.toYamlString(Util.getUnclassifiedRoot(context).get("imageTrust"));
        assertThat(exported)
                .contains("trustedIdentities:")
                .contains("name: \"release-workflow\"")
                .contains("subjectRegExp:")
                .contains("extensions:")
                .contains("trustedRoots:")
                .contains("name: \"public-good\"");

        config.setTrustedIdentities(List.of());
        config.setTrustedRoots(List.of());
        Path yaml = dir.resolve("jenkins.yaml");
        Files.writeString(yaml, "unclassified:\n  imageTrust:\n" + exported.replaceFirst("^---\\s*\\n", "").indent(4), StandardCharsets.UTF_8);
        ConfigurationAsCode.get().configure(yaml.toString());

        assertThat(config.getTrustedIdentities()).singleElement().satisfies(back -> {
            assertThat(back.getName()).isEqualTo("release-workflow");
            assertThat(back.getTrustedRoot()).isEqualTo("public-good");
            assertThat(back.getIssuer()).isEqualTo("https://token.actions.githubusercontent.com");
            assertThat(back.getSubjectRegExp()).isEqualTo("https://github\\.com/example/app/.*");
            assertThat(back.getExtensions()).isEqualTo("githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main");
            assertThat(back.getNotBefore()).isEqualTo("2026-01-01");
            assertThat(back.getNotAfter()).isEqualTo("2027-01-01");
            assertThat(back.isRevoked()).isTrue();
        });
        assertThat(config.getTrustedRoots()).singleElement().satisfies(back -> {
            assertThat(back.getName()).isEqualTo("public-good");
            assertThat(back.getTrustedRoot()).isEqualTo(rootJson.strip());
            assertThat(back.toEngineRoot().certificateAuthorities()).hasSize(1);
        });
        assertThat(config.getTrustedKeys()).as("the rest of the page came back too").hasSize(2);
    }
}
