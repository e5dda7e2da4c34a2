package io.jenkins.plugins.imagetrust.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {
    private static String PEM;
    private static String OTHER_PEM;

    /** Read before any test (not in a static initialiser), so that missing fixtures skip the class loudly. */
    @BeforeAll
    static void keys() {
        PEM = InteropFixtures.text("cosign/signing-key.pub");
        OTHER_PEM = InteropFixtures.text("cosign/skopeo-generated.pub");
    }

    private static String indent(String pem) {
        return "      " + pem.strip().replace("\n", "\n      ") + "\n";
    }

    @Test
    void requireAllPlatformsIsABooleanOffByDefaultAndSurvivesARoundTrip() throws Exception {
        String keys = "keys:\n  - name: release\n    publicKey: |\n" + indent(PEM);
        assertThat(PolicyFiles.parse(keys, null).requireAllPlatforms()).isFalse();
        TrustPolicy strict = PolicyFiles.parse("requireAllPlatforms: true\n" + keys, null);
        assertThat(strict.requireAllPlatforms()).isTrue();
        assertThat(PolicyFiles.parse(PolicyFiles.toJson(strict), null).requireAllPlatforms()).isTrue();
        assertThat(PolicyFiles.parse(PolicyFiles.toYaml(strict), null).requireAllPlatforms()).isTrue();
        assertThat(strict.toBuilder().build().requireAllPlatforms()).isTrue();
        assertThatThrownBy(() -> PolicyFiles.parse("requireAllPlatforms: \"yes\"\n" + keys, null))
                .isInstanceOf(PolicyException.class).hasMessageContaining("'requireAllPlatforms' must be true or false");
        assertThatThrownBy(() -> PolicyFiles.parse("requireAllPlatform: true\n" + keys, null))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown field 'requireAllPlatform'");
    }

    @Test
    void readsACompleteYamlPolicy() throws Exception {
        String yaml = "version: 1\nmode: warn\nthreshold: 2\nidentity: exact-reference\n"
                + "requiredAnnotations:\n  git: abc123\n"
                + "keys:\n"
                + "  - name: release-2026\n    notBefore: 2026-01-01T00:00:00Z\n    notAfter: 2027-01-01T00:00:00Z\n    publicKey: |\n" + indent(PEM)
                + "  - name: old\n    revoked: true\n    publicKey: |\n" + indent(OTHER_PEM);
        TrustPolicy policy = PolicyFiles.parse(yaml, null);
        assertThat(policy.mode()).isEqualTo(EnforcementMode.WARN);
        assertThat(policy.threshold()).isEqualTo(2);
        assertThat(policy.identity()).isEqualTo(IdentityRule.EXACT_REFERENCE);
        assertThat(policy.requiredAnnotations()).containsEntry("git", "abc123");
        assertThat(policy.keys()).extracting(TrustedKey::name).containsExactly("release-2026", "old");
        TrustedKey release = policy.keys().get(0);
        assertThat(release.notBefore()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(release.id()).isEqualTo(KeyId.of(PublicKeys.parse(PEM)));
        assertThat(policy.keys().get(1).revoked()).isTrue();
    }

    @Test
    void validityBoundsAreDatesOrRfc3339InstantsAsOnTheJenkinsPage() throws Exception {
        String yaml = "keys:\n  - name: release\n    notBefore: 2026-01-01\n    notAfter: 2027-01-31T12:00:00+02:00\n"
                + "    publicKey: |\n" + indent(PEM);
        TrustedKey release = PolicyFiles.parse(yaml, null).keys().get(0);
        assertThat(release.notBefore()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(release.notAfter()).contains(Instant.parse("2027-01-31T10:00:00Z"));
        assertBad("{\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + ",\"notBefore\":\"2026-13-01\"}]}",
                "notBefore '2026-13-01' is neither a date (2026-01-31) nor an RFC 3339 instant");
    }

    @Test
    void jsonAndYamlRoundTrip() throws Exception {
        TrustPolicy original = PolicyFiles.parse("{\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + ",\"notAfter\":\"2030-01-01T00:00:00Z\"}],"
                + "\"requiredAnnotations\":{\"team\":\"x\"}}", null);
        for (String text : List.of(PolicyFiles.toJson(original), PolicyFiles.toYaml(original))) {
            TrustPolicy again = PolicyFiles.parse(text, null);
            assertThat(PolicyFiles.toTree(again)).isEqualTo(PolicyFiles.toTree(original));
        }
        assertThat(original.mode()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(original.identity()).isEqualTo(IdentityRule.SAME_REPOSITORY);
        assertThat(original.threshold()).isEqualTo(1);
    }

    @Test
    void publicKeyFileResolvesBesideThePolicy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("release.pub"), PEM);
        Path policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, "keys:\n  - name: release\n    publicKeyFile: release.pub\n");
        assertThat(PolicyFiles.read(policyFile).keys()).hasSize(1);
        assertThatThrownBy(() -> PolicyFiles.parse("keys:\n  - name: release\n    publicKeyFile: release.pub\n", null))
                .hasMessageContaining("'publicKeyFile' is not allowed here");
    }

    @Test
    void rejectsBadPoliciesNamingTheField() {
        String key = "{\"name\":\"a\",\"publicKey\":" + quote(PEM) + "}";
        assertBad("{\"keys\":[" + key + "],\"treshold\":1}", "unknown field 'treshold'");
        assertBad("{\"keys\":[]}", "at least one trusted key");
        assertBad("{\"keys\":[" + key + "],\"threshold\":2}", "threshold 2 can never be met");
        assertBad("{\"keys\":[" + key + "],\"threshold\":0}", "at least 1");
        assertBad("{\"keys\":[" + key + "],\"threshold\":1.5}", "whole number");
        assertBad("{\"keys\":[" + key + "],\"mode\":\"audit\"}", "unknown mode 'audit'");
        assertBad("{\"keys\":[" + key + "],\"identity\":\"any\"}", "unknown identity rule");
        assertBad("{\"keys\":[" + key + "," + key + "]}", "listed twice");
        assertBad("{\"keys\":[{\"name\":\"a\"}]}", "exactly one of 'publicKey'");
        assertBad("{\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + ",\"notAfter\":\"tomorrow\"}]}", "RFC 3339");
        assertBad("{\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + ",\"id\":\"" + "0".repeat(64) + "\"}]}", "does not match the public key");
        assertBad("{\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + ",\"revoked\":\"yes\"}]}", "'revoked' must be true or false");
        assertBad("{\"keys\":[" + key + "],\"keys\":[" + key + "]}", "Duplicate field 'keys'");
        assertBad("keys: [unterminated", "not valid JSON or YAML");
        assertBad("{\"keys\":[" + key + "],\"version\":2}", "'version' must be 1");
    }

    @Test
    void restrictingToKeysByIdOrName() throws Exception {
        TrustPolicy policy = PolicyFiles.parse("{\"threshold\":2,\"keys\":[{\"name\":\"a\",\"publicKey\":" + quote(PEM) + "},{\"name\":\"b\",\"publicKey\":"
                + quote(OTHER_PEM) + "}]}", null);
        TrustPolicy onlyB = policy.restrictedTo(List.of(policy.keys().get(1).id().hex()));
        assertThat(onlyB.keys()).extracting(TrustedKey::name).containsExactly("b");
        assertThat(onlyB.threshold()).isEqualTo(1);
        assertThat(policy.restrictedTo(List.of("a", "b")).threshold()).isEqualTo(2);
        assertThatThrownBy(() -> policy.restrictedTo(List.of("c"))).hasMessageContaining("no trusted key has the id or name 'c'");
    }

    private static void assertBad(String text, String message) {
        assertThatThrownBy(() -> PolicyFiles.parse(text, null)).isInstanceOf(PolicyException.class).hasMessageContaining(message);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
