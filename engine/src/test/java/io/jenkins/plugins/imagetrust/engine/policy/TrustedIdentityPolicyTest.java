package io.jenkins.plugins.imagetrust.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusted identities in policy files ({@code trustedIdentities:}, {@code trustedRoots:}) and in the model. */
class TrustedIdentityPolicyTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String IDENTITY = "trustedIdentities:\n  - name: release\n    issuer: https://token.actions.githubusercontent.com\n"
            + "    subjectRegExp: https://github\\.com/example/app/.*\n    trustedRoot: test\n";

    @TempDir
    Path dir;

    @BeforeEach
    void writeRoot() throws Exception {
        Files.write(dir.resolve("trusted_root.json"), new TestSigstore(NOW).trustedRootJson());
    }

    private TrustPolicy read(String yaml) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        return PolicyFiles.read(file);
    }

    private void assertError(String yaml, String... message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(PolicyException.class).hasMessageContainingAll(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anIdentityAloneIsAPolicyWithItsRootReadRelativeToTheFile() throws Exception {
        TrustPolicy policy = read("trustedRoots:\n  test: trusted_root.json\n" + IDENTITY
                + "    extensions:\n      sourceRepositoryRef: refs/heads/main\n    notBefore: 2026-01-01\n    notAfter: 2027-01-01T00:00:00Z\n");
        assertThat(policy.keys()).isEmpty();
        assertThat(policy.identities()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("release");
            assertThat(i.trustedRootName()).isEqualTo("test");
            assertThat(i.identity().subject().regex()).isTrue();
            assertThat(i.identity().subject().matches("https://github.com/example/app/x.yml@refs/heads/main")).isTrue();
            assertThat(i.identity().subject().matches("https://github.com/example/app2/x")).isFalse();
            assertThat(i.identity().issuer().regex()).isFalse();
            assertThat(i.identity().extensions()).containsKey("sourceRepositoryRef");
            assertThat(i.notAfter()).contains(Instant.parse("2027-01-01T00:00:00Z"));
        });
        assertThat(PolicyFiles.toJson(policy)).contains("\"subjectRegExp\"", "\"trustedRoot\" : \"test\"");
    }

    static final java.util.function.Supplier<String> KEY = () -> "keys:\n  - name: ci\n    publicKey: |\n      "
            + InteropFixtures.text("cosign/signing-key.pub").strip().replace("\n", "\n      ") + "\n";

    @Test
    void keysAndIdentitiesShareTheThreshold() throws Exception {
        String key = KEY.get();
        TrustPolicy policy = read("threshold: 2\ntrustedRoots:\n  test: trusted_root.json\n" + key + IDENTITY);
        assertThat(policy.threshold()).isEqualTo(2);
        assertError("threshold: 3\ntrustedRoots:\n  test: trusted_root.json\n" + key + IDENTITY,
                "threshold 3 can never be met with 1 trusted key(s) and 1 trusted identities");
        assertThat(policy.restrictedTo(List.of("release")).keys()).isEmpty();
        assertThat(policy.restrictedTo(List.of("release")).identities()).hasSize(1);
        assertThat(policy.restrictedTo(List.of("release")).threshold()).isEqualTo(1);
    }

    @Test
    void badEntriesAreOneLineErrorsNamingTheField() {
        String roots = "trustedRoots:\n  test: trusted_root.json\n";
        assertError(IDENTITY, "'trustedRoots' must map at least one name");
        assertError("trustedRoots:\n  test: missing.json\n" + IDENTITY, "trustedRoots.test", "cannot read");
        assertError(roots + IDENTITY.replace("trustedRoot: test", "trustedRoot: other"), "trustedIdentities[0] ('release')",
                "'trustedRoot' 'other' is not in 'trustedRoots'");
        assertError(roots + IDENTITY.replace("    issuer: https://token.actions.githubusercontent.com\n", ""),
                "needs exactly one of 'issuer' and 'issuerRegExp'");
        assertError(roots + IDENTITY + "    subject: x\n", "needs exactly one of 'subject' and 'subjectRegExp'");
        assertError(roots + IDENTITY.replace("subjectRegExp: https://github\\.com/example/app/.*", "subjectRegExp: \"(\""),
                "'subjectRegExp'", "not a valid regular expression");
        assertError(roots + IDENTITY + "    subjct: x\n", "unknown field 'subjct'");
        assertError(roots + IDENTITY + "    extensions:\n      workflowRef: x\n", "'workflowRef' is not a Fulcio certificate extension");
        assertError(roots + IDENTITY + "    revoked: \"yes\"\n", "'revoked' must be true or false");
        assertError(roots + IDENTITY + "    notAfter: someday\n", "notAfter", "'someday'");
        assertError("trustedRoots:\n  test: policy.yaml\n" + IDENTITY, "trustedRoots.test");
        assertError(roots + "keys: []\n", "'keys' must list at least one trusted key");
        assertError(roots + KEY.get(), "no 'trustedIdentities' use them");
    }

    @Test
    void anIdentitysWindowIsEndExclusiveLikeAKeysAndRevocationWins() throws Exception {
        TrustPolicy policy = read("trustedRoots:\n  test: trusted_root.json\n" + IDENTITY + "    notBefore: 2026-03-01T12:00:00Z\n"
                + "    notAfter: 2026-03-01T13:00:00Z\n");
        TrustedIdentity identity = policy.identities().get(0);
        assertThat(identity.unusableAt(NOW)).isEmpty();
        assertThat(identity.unusableAt(NOW.plusSeconds(3599))).isEmpty();
        assertThat(identity.unusableAt(NOW.plusSeconds(3600))).contains(RejectionReason.IDENTITY_EXPIRED);
        assertThat(identity.unusableAt(NOW.minusSeconds(1))).contains(RejectionReason.IDENTITY_NOT_YET_VALID);
        assertThat(policy.toBuilder().identities(List.of()).threshold(1).build().identities()).hasSize(1);
    }

    @Test
    void everySigstoreReasonHasItsOwnReportCode() {
        for (SigstoreReason reason : SigstoreReason.values()) {
            assertThat(RejectionReason.of(reason).name()).isEqualTo(reason.name());
        }
    }
}
