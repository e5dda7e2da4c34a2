package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.config.KeylessIdentity;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The administrator's settings are a floor: every way a step could ask for less is refused, narrowing is allowed. */
class EffectivePolicyTest {
    private List<TrustedPublicKey> adminKeys;

    @BeforeEach
    void twoTrustedKeys() {
        adminKeys = List.of(
                new TrustedPublicKey("release", TestImages.publicKeyPem()),
                new TrustedPublicKey("backup", TestImages.otherPublicKeyPem()));
    }

    @Test
    void withoutStepSettingsTheAdministratorsPolicyApplies() throws Exception {
        EffectivePolicy policy =
                of(adminKeys, 2, EnforcementMode.ENFORCE, List.of(), 0, null, Map.of());

        TrustPolicy engine = policy.toTrustPolicy();
        assertThat(engine.keys()).extracting(TrustedKey::name).containsExactly("release", "backup");
        assertThat(engine.threshold()).isEqualTo(2);
        assertThat(engine.mode()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(policy.describe()).isEqualTo("enforce, 2 of release, backup");
    }

    @Test
    void aStepMayRaiseTheThresholdRequireAnnotationsAndEnforce() throws Exception {
        String backupPrefix = adminKeys.get(1).getKeyId().substring(0, 12);

        EffectivePolicy policy = of(
                adminKeys,
                1,
                EnforcementMode.WARN,
                List.of("release", backupPrefix),
                2,
                "enforce",
                Map.of("git", "abc"));

        TrustPolicy engine = policy.toTrustPolicy();
        assertThat(engine.keys()).extracting(TrustedKey::name).containsExactly("release", "backup");
        assertThat(engine.threshold()).isEqualTo(2);
        assertThat(engine.mode()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(engine.requiredAnnotations()).containsExactly(Map.entry("git", "abc"));
        assertThat(policy.describe()).isEqualTo("enforce, 2 of release, backup; requires git=abc");
    }

    @Test
    void aStepMayNarrowTheKeysButTheThresholdStays() throws Exception {
        EffectivePolicy narrowed =
                of(adminKeys, 1, EnforcementMode.WARN, List.of("backup"), 0, null, Map.of());
        assertThat(narrowed.toTrustPolicy().keys()).extracting(TrustedKey::name).containsExactly("backup");
        assertThat(narrowed.describe()).isEqualTo("warn, 1 of backup");

        EffectivePolicy tooFew =
                of(adminKeys, 2, EnforcementMode.ENFORCE, List.of("backup"), 0, null, Map.of());
        assertThatThrownBy(tooFew::toTrustPolicy).hasMessageContaining("threshold 2 can never be met");
    }

    @Test
    void aThresholdBelowTheAdministratorsIsRefusedNamingIt() {
        assertThatThrownBy(
                        () -> of(adminKeys, 2, EnforcementMode.ENFORCE, List.of(), 1, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessage("verifyImage threshold 1 is below the minimum of 2 set in Manage Jenkins › System › Image"
                        + " Trust");
    }

    @Test
    void warnCannotRelaxAnEnforcedPolicyButMayStandWhereTheAdministratorWarns() throws Exception {
        assertThatThrownBy(
                        () -> of(adminKeys, 1, EnforcementMode.ENFORCE, List.of(), 0, "warn", Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith(
                        "verifyImage mode 'warn' would relax the enforce mode set in Manage Jenkins › System › Image Trust");

        assertThat(of(adminKeys, 1, EnforcementMode.WARN, List.of(), 0, "WARN", Map.of())
                        .mode())
                .isEqualTo(EnforcementMode.WARN);
    }

    @Test
    void aStepCannotAddAKeyOrNameAnUnknownMode() {
        assertThatThrownBy(() -> of(
                        adminKeys, 1, EnforcementMode.ENFORCE, List.of("release", "attacker"), 0, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("no trusted key is named \"attacker\"");
        assertThatThrownBy(() ->
                        of(adminKeys, 1, EnforcementMode.ENFORCE, List.of(), 0, "audit", Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("audit");
    }

    @Test
    void withoutTrustedKeysNothingCanBeVerified() {
        assertThatThrownBy(() -> of(List.of(), 1, EnforcementMode.WARN, List.of(), 0, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("no trusted keys");
    }

    @Test
    void aStepMayChooseAmongTheIdentitiesButNeverAddOne() throws Exception {
        List<KeylessIdentity> adminIdentities = List.of(identity("distroless"), identity("chainguard"));

        EffectivePolicy chosen = EffectivePolicy.of(
                adminKeys,
                adminIdentities,
                List.of(),
                1,
                EnforcementMode.ENFORCE,
                List.of(),
                List.of("distroless"),
                0,
                null,
                Map.of());
        assertThat(chosen.describe()).isEqualTo("enforce, 1 of distroless");
        assertThat(chosen.keyNames()).isEmpty();

        assertThatThrownBy(() -> EffectivePolicy.of(
                        adminKeys,
                        adminIdentities,
                        List.of(),
                        1,
                        EnforcementMode.ENFORCE,
                        List.of(),
                        List.of("attacker"),
                        0,
                        null,
                        Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("no trusted identity is named \"attacker\"");
    }

    @Test
    void anIdentityWithoutARootItCanUseIsRefusedNamingIt() throws Exception {
        EffectivePolicy policy = EffectivePolicy.of(
                List.of(),
                List.of(identity("distroless")),
                List.of(),
                1,
                EnforcementMode.ENFORCE,
                List.of(),
                List.of(),
                0,
                null,
                Map.of());

        assertThatThrownBy(policy::toTrustPolicy)
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("trusted identity 'distroless' names no trusted root");
    }

    private static KeylessIdentity identity(String name) {
        KeylessIdentity identity = new KeylessIdentity(name);
        identity.setIssuer("https://token.actions.githubusercontent.com");
        identity.setSubjectRegExp("https://github\\.com/example/" + name + "/.*");
        return identity;
    }

    /** The policy of a page without keyless identities or roots. */
    private static EffectivePolicy of(
            List<TrustedPublicKey> keys,
            int threshold,
            EnforcementMode mode,
            List<String> stepKeys,
            int stepThreshold,
            String stepMode,
            Map<String, String> annotations)
            throws AbortException {
        return EffectivePolicy.of(
                keys, List.of(), List.of(), threshold, mode, stepKeys, List.of(), stepThreshold, stepMode, annotations);
    }
}
