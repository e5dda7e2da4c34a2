package io.jenkins.plugins.imagetrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.TestImages;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A trusted key entry without Jenkins: key id, names, validity dates. */
class TrustedPublicKeyTest {

    @Test
    void theKeyIdIsComputedFromTheKeyAndEmptyWhenItDoesNotParse() {
        assertThat(new TrustedPublicKey("release", TestImages.publicKeyPem()).getKeyId())
                .matches("[0-9a-f]{64}");
        assertThat(new TrustedPublicKey("broken", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                        .getKeyId())
                .isEmpty();
        assertThat(new TrustedPublicKey("none", null).getKeyId()).isEmpty();
    }

    @Test
    void aKeyIsNamedByItsNameItsKeyIdOrALongEnoughPrefix() {
        TrustedPublicKey key = new TrustedPublicKey("release", TestImages.publicKeyPem());
        String keyId = key.getKeyId();

        assertThat(key.isNamed("release")).isTrue();
        assertThat(key.isNamed(keyId)).isTrue();
        assertThat(key.isNamed(keyId.substring(0, 12))).isTrue();
        assertThat(key.isNamed(keyId.substring(0, 11))).isFalse();
        assertThat(key.isNamed("other")).isFalse();
    }

    @Test
    void windowsTakeDatesAndRfc3339InstantsAsPolicyFilesDo() throws Exception {
        TrustedPublicKey key = new TrustedPublicKey("release", TestImages.publicKeyPem());
        key.setNotBefore("2026-01-31");
        key.setNotAfter("2027-01-31T12:00:00+02:00");

        assertThat(key.toEngineKey().notBefore()).contains(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(key.toEngineKey().notAfter()).contains(Instant.parse("2027-01-31T10:00:00Z"));
        key.setNotAfter("next tuesday");
        assertThatThrownBy(key::toEngineKey)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("next tuesday");
    }

    @Test
    void anEntryWithoutKeyCannotBecomeATrustedKey() {
        assertThatThrownBy(() -> new TrustedPublicKey("release", " ").toEngineKey())
                .isInstanceOf(KeyException.class)
                .hasMessageContaining("public key");
    }
}
