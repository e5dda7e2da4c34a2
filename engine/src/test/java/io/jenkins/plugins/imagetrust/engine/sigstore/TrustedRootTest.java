package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedRootTest {
    private static final String LOG = "{\"baseUrl\":\"https://log\",\"publicKey\":{\"rawBytes\":\"MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=\","
            + "\"keyDetails\":\"PKIX_ED25519\",\"validFor\":{\"start\":\"2025-01-01T00:00:00Z\",\"end\":\"2025-12-31T23:59:59.999Z\"}},"
            + "\"logId\":{\"keyId\":\"zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=\"}}";

    private static TrustedRoot parse(String json) throws SigstoreException {
        return TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String root(String tlog) {
        return "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\",\"tlogs\":[" + tlog + "]}";
    }

    @Test
    void thePublicGoodRootIsReadWhole() throws Exception {
        TrustedRoot root = TrustedRoot.parse(InteropFixtures.bytes("sigstore-conformance/production_trusted_root.json"));
        assertThat(root.tlogs()).hasSize(2);
        assertThat(root.tlogs().get(1).key().getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(root.certificateAuthorities()).hasSize(2);
        assertThat(root.certificateAuthorities().get(1).chain()).hasSize(2);
        assertThat(root.ctlogs()).hasSize(2);
        assertThat(root.timestampAuthorities()).hasSize(1);
        TrustedRoot.Validity first = root.certificateAuthorities().get(0).validity();
        assertThat(first.contains(Instant.parse("2022-12-31T23:59:59.999Z"))).as("the end is inclusive").isTrue();
        assertThat(first.contains(Instant.parse("2023-01-01T00:00:00Z"))).isFalse();
        assertThat(first.contains(Instant.parse("2021-03-07T03:20:28Z"))).isFalse();
        assertThat(root.certificateAuthorities().get(1).validity().contains(Instant.parse("2100-01-01T00:00:00Z"))).as("open-ended").isTrue();
    }

    @Test
    void aNullEndIsOpenEnded() throws Exception {
        TrustedRoot root = parse(root(LOG.replace("\"end\":\"2025-12-31T23:59:59.999Z\"", "\"end\":null")));
        assertThat(root.tlogs().get(0).validity().end()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/vnd.dev.sigstore.trustedroot+json;version=0.1|application/json|mediaType 'application/json' is not one of",
        "\"start\":\"2025-01-01T00:00:00Z\",|\"start\":\"yesterday\",|tlogs[0].publicKey.validFor.start is not an RFC 3339 time",
        "\"start\":\"2025-01-01T00:00:00Z\",|\"begin\":\"2025-01-01T00:00:00Z\",|tlogs[0].publicKey.validFor.start is missing",
        "2025-12-31T23:59:59.999Z|2024-12-31T00:00:00Z|tlogs[0].publicKey.validFor.end 2024-12-31T00:00:00Z is before start",
        "MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=|MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0X|tlogs[0].publicKey.rawBytes is not a usable PKIX_ED25519 public key",
        "zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=|%%%|tlogs[0].logId.keyId is not base64",
        "\"baseUrl\":\"https://log\",|\"baseUrl\":\"https://log\",\"baseUrl\":\"https://other\",|not JSON: Duplicate field 'baseUrl'",
    })
    void aDamagedRootIsRefusedNamingTheField(String from, String to, String message) {
        String json = root(LOG).replace(from, to);
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(SigstoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(SigstoreReason.MALFORMED_TRUSTED_ROOT);
            assertThat(e.getMessage()).startsWith("trusted root: ").contains(message).doesNotContain("\n");
        });
    }

    @Test
    void aRootThatTrustsNothingOrTooMuchIsRefused() {
        assertThatThrownBy(() -> parse("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}"))
                .hasMessageContaining("it trusts nothing");
        assertThatThrownBy(() -> parse(root(LOG) + " {}")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TrustedRoot.parse(new byte[TrustedRoot.MAX_BYTES + 1])).hasMessageContaining("at most " + TrustedRoot.MAX_BYTES);
    }
}
