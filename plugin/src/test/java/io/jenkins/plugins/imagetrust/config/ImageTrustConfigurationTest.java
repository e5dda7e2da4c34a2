package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.imagetrust.TestImages;
import java.io.InputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.StaplerRequest2;
import org.springframework.security.access.AccessDeniedException;

/**
 * The global page: a form round trip, deleting every key, only administrators may change anything, and a configuration
 * saved by an earlier version (flat Notary and HSM fields) still loads.
 */
@WithJenkins
class ImageTrustConfigurationTest {
    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        j = rule;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ)
                .everywhere()
                .to("reader"));
    }

    @Test
    void theFormRoundTripKeepsEveryField() throws Exception {
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        TrustedPublicKey key = new TrustedPublicKey("release", TestImages.publicKeyPem());
        key.setNotBefore("2026-01-01");
        key.setNotAfter("2027-01-01T00:00:00Z");
        key.setRevoked(true);
        config.setTrustedKeys(List.of(key));
        config.setDefaultMode("warn");
        config.setDefaultThreshold(2);
        config.setSignatureRepository("registry.example.com/signatures");
        config.setInsecureRegistries("registry.internal:5000");
        config.setNotaryServerUrl("https://notary.example.com:4443");
        config.setPkcs11ModulePath("/usr/lib/softhsm/libsofthsm2.so");
        config.setPkcs11KeyAlias("release");
        config.setPkcs11AllowedJobs("release/.*");

        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        j.submit(admin.goTo("configure").getFormByName("config"));

        ImageTrustConfiguration reloaded = ImageTrustConfiguration.get();
        assertThat(reloaded.getTrustedKeys()).hasSize(1);
        TrustedPublicKey back = reloaded.getTrustedKeys().get(0);
        assertThat(back.getName()).isEqualTo("release");
        assertThat(back.getKeyId()).isEqualTo(key.getKeyId()).hasSize(64);
        assertThat(back.getNotBefore()).isEqualTo("2026-01-01");
        assertThat(back.getNotAfter()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(back.isRevoked()).isTrue();
        assertThat(reloaded.getDefaultMode()).isEqualTo("warn");
        assertThat(reloaded.getDefaultThreshold()).isEqualTo(2);
        assertThat(reloaded.getSignatureRepository()).isEqualTo("registry.example.com/signatures");
        assertThat(reloaded.insecureRegistrySet()).containsExactly("registry.internal:5000");
        assertThat(reloaded.getNotaryServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(reloaded.getPkcs11AllowedJobs()).isEqualTo("release/.*");
    }

    @Test
    void theFormRoundTripKeepsTheNotaryAndHsmSections() throws Exception {
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        config.setNotaryServerUrl("https://notary.example.com:4443");
        config.setNotaryCaCertificate(TestImages.publicKeyPem());
        config.setPkcs11ModulePath("/usr/lib/softhsm/libsofthsm2.so");
        config.setPkcs11Slot("7");
        config.setPkcs11KeyAlias("release");
        config.setPkcs11AllowedJobs("release/.*");

        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        j.submit(admin.goTo("configure").getFormByName("config"));

        ImageTrustConfiguration reloaded = ImageTrustConfiguration.get();
        assertThat(reloaded.getNotary().getServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(reloaded.getNotary().getCaCertificate())
                .isEqualToNormalizingNewlines(TestImages.publicKeyPem().strip());
        assertThat(reloaded.getHsm().getModulePath()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
        assertThat(reloaded.getHsm().getSlot()).isEqualTo("7");
        assertThat(reloaded.getHsm().getKeyAlias()).isEqualTo("release");
        assertThat(reloaded.getHsm().getAllowedJobs()).isEqualTo("release/.*");
    }

    /**
     * {@code configuration-before-grouping.xml} is what the version with flat Notary and HSM fields saved (its XStream
     * form, every field set). It loads into the nested settings, and the next save writes only the grouped shape.
     */
    @Test
    void aConfigurationSavedWithFlatNotaryAndHsmFieldsStillLoads() throws Exception {
        Path saved = j.jenkins.getRootDir().toPath().resolve(ImageTrustConfiguration.class.getName() + ".xml");
        try (InputStream old = getClass().getResourceAsStream("configuration-before-grouping.xml")) {
            assertThat(old).isNotNull();
            Files.copy(old, saved, StandardCopyOption.REPLACE_EXISTING);
        }
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        config.load();
        assertEverySavedValue(config);

        config.save();
        String written = Files.readString(saved, StandardCharsets.UTF_8);
        assertThat(written)
                .contains("<notary>")
                .contains("<serverUrl>https://notary.example.com:4443</serverUrl>")
                .contains("<hsm>")
                .contains("<allowedJobs>release/.*</allowedJobs>")
                .doesNotContain("notaryServerUrl")
                .doesNotContain("pkcs11");
        config.load();
        assertEverySavedValue(config);
    }

    private static void assertEverySavedValue(ImageTrustConfiguration config) {
        assertThat(config.getTrustedKeys()).hasSize(1);
        TrustedPublicKey key = config.getTrustedKeys().get(0);
        assertThat(key.getName()).isEqualTo("release-2026");
        assertThat(key.getKeyId()).isEqualTo(new TrustedPublicKey("x", TestImages.publicKeyPem()).getKeyId());
        assertThat(key.getNotBefore()).isEqualTo("2026-01-01");
        assertThat(key.getNotAfter()).isEqualTo("2027-01-01");
        assertThat(key.isRevoked()).isFalse();
        assertThat(config.getDefaultMode()).isEqualTo("warn");
        assertThat(config.getDefaultSignatureFormat()).isEqualTo("legacy");
        assertThat(config.getDefaultThreshold()).isEqualTo(2);
        assertThat(config.getSignatureRepository()).isEqualTo("registry.example.com/signatures");
        assertThat(config.insecureRegistrySet()).containsExactly("registry.internal:5000");
        assertThat(config.getNotaryServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(config.getNotary().getServerUrl()).isEqualTo("https://notary.example.com:4443");
        assertThat(config.getNotaryCaCertificate())
                .startsWith("-----BEGIN CERTIFICATE-----")
                .endsWith("-----END CERTIFICATE-----");
        assertThat(config.getNotary().getCaCertificate()).isEqualTo(config.getNotaryCaCertificate());
        assertThat(config.getNotaryRootCredentialsId()).isEqualTo("notary-root");
        assertThat(config.getNotary().getRootCredentialsId()).isEqualTo("notary-root");
        assertThat(config.getPkcs11ModulePath()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
        assertThat(config.getHsm().getModulePath()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
        assertThat(config.getPkcs11Slot()).isEqualTo("7");
        assertThat(config.getHsm().getSlot()).isEqualTo("7");
        assertThat(config.getPkcs11KeyAlias()).isEqualTo("release");
        assertThat(config.getHsm().getKeyAlias()).isEqualTo("release");
        assertThat(config.getPkcs11PinCredentialsId()).isEqualTo("hsm-pin");
        assertThat(config.getHsm().getPinCredentialsId()).isEqualTo("hsm-pin");
        assertThat(config.getPkcs11AllowedJobs()).isEqualTo("release/.*");
        assertThat(config.getHsm().isConfigured()).isTrue();
        assertThat(config.mayUseHsm("release/app")).isTrue();
        assertThat(config.mayUseHsm("playground/app")).isFalse();
    }

    @Test
    void deletingEveryKeyEmptiesTheList() throws Exception {
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(
                        new TrustedPublicKey("release", TestImages.publicKeyPem()),
                        new TrustedPublicKey("other", TestImages.otherPublicKeyPem())));

        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        HtmlForm form = admin.goTo("configure").getFormByName("config");
        List<HtmlElement> rows =
                form.getByXPath("//div[contains(@class,'repeated-chunk') and .//textarea[@name='_.publicKey']]");
        assertThat(rows).isNotEmpty(); // the two keys (and the hidden template of a new row, if rendered)
        rows.forEach(HtmlElement::remove);
        j.submit(form);

        assertThat(ImageTrustConfiguration.get().getTrustedKeys()).isEmpty();
    }

    @Test
    void aUserWithoutAdministerCannotChangeTrustedKeys() throws Exception {
        ImageTrustConfiguration.get()
                .setTrustedKeys(List.of(new TrustedPublicKey("release", TestImages.publicKeyPem())));

        JenkinsRule.WebClient reader = j.createWebClient().login("reader");
        assertThatThrownBy(() -> reader.goTo("configure"))
                .isInstanceOfSatisfying(
                        FailingHttpStatusCodeException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
        WebRequest submit = new WebRequest(reader.createCrumbedUrl("configSubmit"), HttpMethod.POST);
        assertThatThrownBy(() -> reader.getPage(submit))
                .isInstanceOfSatisfying(
                        FailingHttpStatusCodeException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
        URL check = reader.createCrumbedUrl("descriptorByName/" + TrustedPublicKey.class.getName() + "/checkPublicKey");
        assertThatThrownBy(() -> reader.getPage(new WebRequest(check, HttpMethod.POST)))
                .isInstanceOfSatisfying(
                        FailingHttpStatusCodeException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));

        // Programmatic configure as the reader: refused before anything is touched.
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThatThrownBy(() -> ImageTrustConfiguration.get().configure((StaplerRequest2) null, new JSONObject()))
                    .isInstanceOf(AccessDeniedException.class);
        }
        assertThat(ImageTrustConfiguration.get().getTrustedKeys())
                .extracting(TrustedPublicKey::getName)
                .containsExactly("release");

        // The administrator may check keys: the answer names the algorithm and key id.
        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        HtmlPage answer = admin.getPage(new WebRequest(
                admin.createCrumbedUrl("descriptorByName/" + TrustedPublicKey.class.getName()
                        + "/checkPublicKey?value="
                        + URLEncoder.encode(TestImages.publicKeyPem(), StandardCharsets.UTF_8)),
                HttpMethod.POST));
        assertThat(answer.getWebResponse().getContentAsString())
                .contains("ECDSA")
                .contains(new TrustedPublicKey("k", TestImages.publicKeyPem()).getKeyId());
    }

    @Test
    void theHsmIsClosedUntilAPatternAllowsAJob() {
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        assertThat(config.mayUseHsm("release/app")).isFalse();
        config.setPkcs11AllowedJobs("release/.*");
        assertThat(config.mayUseHsm("release/app")).isTrue();
        assertThat(config.mayUseHsm("playground/app")).isFalse();
        config.setPkcs11AllowedJobs("([");
        assertThat(config.mayUseHsm("release/app")).isFalse();
    }
}
