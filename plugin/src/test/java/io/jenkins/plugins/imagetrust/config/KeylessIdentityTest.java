package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.policy.ValidityWindow;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A trusted keyless identity entry without Jenkins: its rule, its extension lines, its window, as the engine sees them. */
class KeylessIdentityTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static KeylessIdentity identity() {
        KeylessIdentity identity = new KeylessIdentity("release");
        identity.setIssuer(TestSigstore.GITHUB_ISSUER);
        identity.setSubjectRegExp("https://github\\.com/example/app/.*");
        return identity;
    }

    private static TrustedSigstoreRoot root() {
        return new TrustedSigstoreRoot("test-root",
                new String(new TestSigstore(NOW).trustedRootJson(), StandardCharsets.UTF_8));
    }

    @Test
    void extensionLinesBecomeExactRulesOfTheCertificateIdentity() {
        KeylessIdentity identity = identity();
        identity.setExtensions("githubWorkflowTrigger=push\r\n\n  githubWorkflowRef = refs/heads/main \nsourceRepositoryURI=a=b\n");

        SignerPolicy.CertificateIdentity rule = identity.toSignerPolicy();

        assertThat(rule.extensions()).containsOnlyKeys("githubWorkflowTrigger", "githubWorkflowRef", "sourceRepositoryURI");
        assertThat(rule.extensions().get("githubWorkflowRef").matches("refs/heads/main")).isTrue();
        assertThat(rule.extensions().get("githubWorkflowRef").regex()).isFalse();
        assertThat(rule.extensions().get("sourceRepositoryURI").matches("a=b")).as("only the first = splits").isTrue();
        assertThat(rule.subject().matches("https://github.com/example/app/x.yml@refs/heads/main")).isTrue();
    }

    @Test
    void anUnknownOrMalformedExtensionLineIsRefusedNamingIt() {
        KeylessIdentity identity = identity();
        identity.setExtensions("githubWorkflowBranch=main");
        assertThatThrownBy(identity::toSignerPolicy)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("trusted identity 'release'", "'githubWorkflowBranch' is not a Fulcio",
                        "githubWorkflowRef");

        identity.setExtensions("githubWorkflowRef=refs/heads/main\nrefs/heads/main");
        assertThatThrownBy(identity::toSignerPolicy).hasMessageContaining("extensions line 2 'refs/heads/main' is not name=value");
        identity.setExtensions("githubWorkflowRef=");
        assertThatThrownBy(identity::toSignerPolicy).hasMessageContaining("extensions line 1");
        identity.setExtensions("githubWorkflowRef=a\ngithubWorkflowRef=b");
        assertThatThrownBy(identity::toSignerPolicy).hasMessageContaining("names 'githubWorkflowRef' a second time");
    }

    @Test
    void subjectAndIssuerNeedExactlyOneForm() {
        KeylessIdentity identity = identity();
        identity.setSubject("https://github.com/example/app/x.yml@refs/heads/main");
        assertThatThrownBy(identity::toSignerPolicy)
                .hasMessage("trusted identity 'release': needs exactly one of subject and subjectRegExp");
        identity.setSubject(null);
        identity.setIssuer(null);
        assertThatThrownBy(identity::toSignerPolicy).hasMessageContaining("needs exactly one of issuer and issuerRegExp");
    }

    @Test
    void theWindowIsTheEnginesOneRuleEndExclusiveLikeAKeys() throws Exception {
        KeylessIdentity identity = identity();
        identity.setNotBefore("2026-03-01");
        identity.setNotAfter("2026-03-01T13:00:00Z");

        TrustedIdentity engine = identity.toEngineIdentity(root());

        assertThat(engine.name()).isEqualTo("release");
        assertThat(engine.trustedRootName()).isEqualTo("test-root");
        assertThat(engine.unusableAt(Instant.parse("2026-03-01T12:59:59Z"))).isEmpty();
        assertThat(engine.unusableAt(Instant.parse("2026-03-01T13:00:00Z"))).contains(RejectionReason.IDENTITY_EXPIRED);
        assertThat(engine.window()).isEqualTo(identity.window());

        TrustedPublicKey key = new TrustedPublicKey("k", TestImages.publicKeyPem());
        key.setNotBefore("2026-03-01");
        key.setNotAfter("2026-03-01T13:00:00Z");
        assertThat(key.window()).as("one rule for both").isEqualTo(identity.window());

        identity.setRevoked(true);
        assertThat(identity.toEngineIdentity(root()).unusableAt(NOW)).contains(RejectionReason.IDENTITY_REVOKED);
    }

    @Test
    void aBadOrEmptyWindowIsRefusedNamingTheIdentity() {
        KeylessIdentity identity = identity();
        identity.setNotAfter("next tuesday");
        assertThatThrownBy(() -> identity.toEngineIdentity(root()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("trusted identity 'release'", "'next tuesday'");
        identity.setNotBefore("2026-03-01");
        identity.setNotAfter("2026-03-01");
        assertThatThrownBy(() -> identity.toEngineIdentity(root()))
                .hasMessageContainingAll("trusted identity 'release'", "the window is empty");
        assertThat(new KeylessIdentity("open").window()).isEqualTo(ValidityWindow.ALWAYS);
    }
}
