package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.imagetrust.TestImages;
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
                EffectivePolicy.of(adminKeys, 2, EnforcementMode.ENFORCE, List.of(), 0, null, Map.of());

        TrustPolicy engine = policy.toTrustPolicy();
        assertThat(engine.keys()).extracting(TrustedKey::name).containsExactly("release", "backup");
        assertThat(engine.threshold()).isEqualTo(2);
        assertThat(engine.mode()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(policy.describe()).isEqualTo("enforce, 2 of release, backup");
    }

    @Test
    void aStepMayRaiseTheThresholdRequireAnnotationsAndEnforce() throws Exception {
        String backupPrefix = adminKeys.get(1).getKeyId().substring(0, 12);

        EffectivePolicy policy = EffectivePolicy.of(
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
                EffectivePolicy.of(adminKeys, 1, EnforcementMode.WARN, List.of("backup"), 0, null, Map.of());
        assertThat(narrowed.toTrustPolicy().keys()).extracting(TrustedKey::name).containsExactly("backup");
        assertThat(narrowed.describe()).isEqualTo("warn, 1 of backup");

        EffectivePolicy tooFew =
                EffectivePolicy.of(adminKeys, 2, EnforcementMode.ENFORCE, List.of("backup"), 0, null, Map.of());
        assertThatThrownBy(tooFew::toTrustPolicy).hasMessageContaining("threshold 2 can never be met");
    }

    @Test
    void aThresholdBelowTheAdministratorsIsRefusedNamingIt() {
        assertThatThrownBy(
                        () -> EffectivePolicy.of(adminKeys, 2, EnforcementMode.ENFORCE, List.of(), 1, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessage("verifyImage threshold 1 is below the minimum of 2 set in Manage Jenkins › System › Image"
                        + " Trust");
    }

    @Test
    void warnCannotRelaxAnEnforcedPolicyButMayStandWhereTheAdministratorWarns() throws Exception {
        assertThatThrownBy(
                        () -> EffectivePolicy.of(adminKeys, 1, EnforcementMode.ENFORCE, List.of(), 0, "warn", Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith(
                        "verifyImage mode 'warn' would relax the enforce mode set in Manage Jenkins › System › Image Trust");

        assertThat(EffectivePolicy.of(adminKeys, 1, EnforcementMode.WARN, List.of(), 0, "WARN", Map.of())
                        .mode())
                .isEqualTo(EnforcementMode.WARN);
    }

    @Test
    void aStepCannotAddAKeyOrNameAnUnknownMode() {
        assertThatThrownBy(() -> EffectivePolicy.of(
                        adminKeys, 1, EnforcementMode.ENFORCE, List.of("release", "attacker"), 0, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("no trusted key is named \"attacker\"");
        assertThatThrownBy(() ->
                        EffectivePolicy.of(adminKeys, 1, EnforcementMode.ENFORCE, List.of(), 0, "audit", Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("audit");
    }

    @Test
    void withoutTrustedKeysNothingCanBeVerified() {
        assertThatThrownBy(() -> EffectivePolicy.of(List.of(), 1, EnforcementMode.WARN, List.of(), 0, null, Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("no trusted keys");
    }
}
