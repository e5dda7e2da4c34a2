package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlFileInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Trusted keyless identities and Sigstore roots on the global page: the form round trip, configurations saved before
 * keys and identities shared {@link TrustedSigner}, the extension lines' validation, and the root's upload.
 */
@WithJenkins
class KeylessConfigurationTest {
    private JenkinsRule j;
    private String rootJson;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        j = rule;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(
                new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        rootJson = new String(new TestSigstore(Instant.now()).trustedRootJson(), StandardCharsets.UTF_8);
    }

    @Test
    void theFormRoundTripKeepsEveryIdentityAndRootField() throws Exception {
        KeylessIdentity identity = new KeylessIdentity("release-workflow");
        identity.setTrustedRoot("test-root");
        identity.setIssuer("https://token.actions.githubusercontent.com");
        identity.setSubjectRegExp("https://github\\.com/example/app/.*");
        identity.setExtensions("githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main");
        identity.setNotBefore("2026-01-01");
        identity.setNotAfter("2027-01-01T00:00:00Z");
        identity.setRevoked(true);
        ImageTrustConfiguration.get().setTrustedIdentities(List.of(identity));
        ImageTrustConfiguration.get().setTrustedRoots(List.of(new TrustedSigstoreRoot("test-root", rootJson)));

        j.submit(j.createWebClient().login("admin").goTo("configure").getFormByName("config"));

        ImageTrustConfiguration reloaded = ImageTrustConfiguration.get();
        assertThat(reloaded.getTrustedIdentities()).singleElement().satisfies(back -> {
            assertThat(back.getName()).isEqualTo("release-workflow");
            assertThat(back.getTrustedRoot()).isEqualTo("test-root");
            assertThat(back.getIssuer()).isEqualTo("https://token.actions.githubusercontent.com");
            assertThat(back.getIssuerRegExp()).isNull();
            assertThat(back.getSubject()).isNull();
            assertThat(back.getSubjectRegExp()).isEqualTo("https://github\\.com/example/app/.*");
            assertThat(back.getExtensions())
                    .isEqualToNormalizingNewlines("githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main");
            assertThat(back.getNotBefore()).isEqualTo("2026-01-01");
            assertThat(back.getNotAfter()).isEqualTo("2027-01-01T00:00:00Z");
            assertThat(back.isRevoked()).isTrue();
        });
        assertThat(reloaded.getTrustedRoots()).singleElement().satisfies(back -> {
            assertThat(back.getName()).isEqualTo("test-root");
            assertThat(back.getTrustedRoot()).isEqualToNormalizingNewlines(rootJson.strip());
        });
    }

    @Test
    void identitiesSavedBeforeTheSharedSignerFieldsStillLoad() throws Exception {
        Path saved = j.jenkins.getRootDir().toPath().resolve(ImageTrustConfiguration.class.getName() + ".xml");
        try (InputStream old = getClass().getResourceAsStream("configuration-identities-before-trusted-signer.xml")) {
            assertThat(old).isNotNull();
            Files.copy(old, saved, StandardCopyOption.REPLACE_EXISTING);
        }
        ImageTrustConfiguration config = ImageTrustConfiguration.get();
        config.load();
        assertSavedIdentity(config);

        config.save();
        String written = Files.readString(saved, StandardCharsets.UTF_8);
        assertThat(written).contains("<name>release-workflow</name>").contains("<notAfter>2027-01-01T00:00:00Z</notAfter>")
                .doesNotContain("defined-in");
        config.load();
        assertSavedIdentity(config);
    }

    private static void assertSavedIdentity(ImageTrustConfiguration config) {
        assertThat(config.getTrustedIdentities()).singleElement().satisfies(identity -> {
            assertThat(identity.getName()).isEqualTo("release-workflow");
            assertThat(identity.getTrustedRoot()).isEqualTo("public-good");
            assertThat(identity.getSubjectRegExp()).isEqualTo("https://github\\.com/example/app/.*");
            assertThat(identity.getNotBefore()).isEqualTo("2026-01-01");
            assertThat(identity.getNotAfter()).isEqualTo("2027-01-01T00:00:00Z");
            assertThat(identity.isRevoked()).isTrue();
            assertThat(identity.getExtensions()).isNull();
        });
        assertThat(config.getTrustedRoots()).extracting(TrustedSigstoreRoot::getName).containsExactly("public-good");
    }

    @Test
    void extensionLinesAreCheckedAndAnUnknownNameIsRefusedWithTheKnownOnes() throws Exception {
        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        assertThat(check(admin, KeylessIdentity.class, "checkExtensions", "githubWorkflowTrigger=push\ngithubWorkflowRef=refs/heads/main"))
                .doesNotContain("error");
        assertThat(check(admin, KeylessIdentity.class, "checkExtensions", "githubWorkflowBranch=main"))
                .contains("error")
                .contains("githubWorkflowBranch")
                .contains("is not a Fulcio certificate extension")
                .contains("githubWorkflowRepository");
        assertThat(check(admin, KeylessIdentity.class, "checkExtensions", "main")).contains("is not name=value");
        assertThat(check(admin, KeylessIdentity.class, "checkNotAfter", "2026-01-01", "notBefore", "2026-01-01"))
                .contains("not after is exclusive");
    }

    @Test
    void aPastedRootShowsTheValidityOfItsParts() throws Exception {
        String answer = check(j.createWebClient().login("admin"), TrustedSigstoreRoot.class, "checkTrustedRoot", rootJson);
        assertThat(answer).contains("1 certificate authority").contains("1 transparency log").contains("1 CT log")
                .contains("1 timestamp authority [from ").contains("open-ended").doesNotContain("error");
    }

    @Test
    void anUploadedRootFillsTheFieldIsCheckedAndIsSavedAsIfPasted() throws Exception {
        ImageTrustConfiguration.get().setTrustedRoots(List.of(new TrustedSigstoreRoot("uploaded", null)));
        Path file = dir.resolve("trusted_root.json");
        Files.writeString(file, rootJson);
        HtmlPage page = j.createWebClient().login("admin").goTo("configure");
        HtmlElement chunk = upload(page, "uploaded", file);

        HtmlTextArea field = chunk.getFirstByXPath(".//textarea[@name='_.trustedRoot']");
        assertThat(field.getText()).isEqualToNormalizingNewlines(rootJson);
        assertThat(chunk.asNormalizedText()).contains("1 certificate authority");
        HtmlForm form = page.getFormByName("config");
        j.submit(form);
        assertThat(ImageTrustConfiguration.get().getTrustedRoots()).singleElement().satisfies(root -> {
            assertThat(root.getName()).isEqualTo("uploaded");
            assertThat(root.getTrustedRoot()).isEqualToNormalizingNewlines(rootJson.strip());
            assertThat(root.toEngineRoot().certificateAuthorities()).hasSize(1);
        });
    }

    @Test
    void aFileLargerThanTheEngineReadsIsRefusedBeforeItIsRead() throws Exception {
        ImageTrustConfiguration.get().setTrustedRoots(List.of(new TrustedSigstoreRoot("uploaded", "{}")));
        Path file = dir.resolve("huge.json");
        Files.write(file, new byte[TrustedRoot.MAX_BYTES + 1]);
        HtmlPage page = j.createWebClient().login("admin").goTo("configure");
        HtmlElement chunk = upload(page, "uploaded", file);

        assertThat(chunk.asNormalizedText())
                .contains("huge.json: larger than " + TrustedRoot.MAX_BYTES + " bytes, the most a trusted root may have");
        HtmlTextArea field = chunk.getFirstByXPath(".//textarea[@name='_.trustedRoot']");
        assertThat(field.getText()).isEqualTo("{}");
    }

    /** Chooses {@code file} in the upload of root {@code name}'s row, as a user would; returns the row. */
    private static HtmlElement upload(HtmlPage page, String name, Path file) throws Exception {
        HtmlElement chunk = page.getFirstByXPath("//div[contains(@class,'repeated-chunk')"
                + " and .//input[@name='_.name' and @value='" + name + "'] and .//input[@type='file']]");
        assertThat(chunk).as("the row of root " + name).isNotNull();
        HtmlFileInput input = chunk.getFirstByXPath(".//input[@type='file']");
        input.setFiles(file.toFile());
        input.fireEvent("change");
        page.getWebClient().waitForBackgroundJavaScript(5000);
        return chunk;
    }

    /** A form check's answer (HTML), posted as the page posts it: {@code value}, then other fields it depends on. */
    private static String check(JenkinsRule.WebClient client, Class<?> type, String method, String value,
            String... moreFieldsAndValues) throws Exception {
        StringBuilder query = new StringBuilder("value=").append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < moreFieldsAndValues.length; i += 2) {
            query.append('&').append(moreFieldsAndValues[i]).append('=')
                    .append(URLEncoder.encode(moreFieldsAndValues[i + 1], StandardCharsets.UTF_8));
        }
        WebRequest request = new WebRequest(client.createCrumbedUrl("descriptorByName/" + type.getName() + "/" + method),
                HttpMethod.POST);
        request.setRequestBody(query.toString());
        request.setAdditionalHeader("Content-Type", "application/x-www-form-urlencoded");
        return client.getPage(request).getWebResponse().getContentAsString();
    }
}
