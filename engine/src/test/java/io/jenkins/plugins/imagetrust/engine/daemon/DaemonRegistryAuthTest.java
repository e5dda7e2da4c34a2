package io.jenkins.plugins.imagetrust.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DaemonRegistryAuthTest {
    private static JsonNode decode(String header) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(header));
    }

    @Test
    void anonymousIsAnEmptyObject() throws Exception {
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.anonymous()) {
            assertThat(decode(auth.headerValue()).toString()).isEqualTo("{}");
            assertThat(auth.isAnonymous()).isTrue();
        }
    }

    @Test
    void basicCarriesUserPasswordAndServerEscapedAsJson() throws Exception {
        char[] password = "p\"a/ss\\wörd?>".toCharArray();
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.basic("ci-bot", password, "127.0.0.1:5000")) {
            JsonNode json = decode(auth.headerValue());

            assertThat(json.path("username").asText()).isEqualTo("ci-bot");
            assertThat(json.path("password").asText()).isEqualTo("p\"a/ss\\wörd?>");
            assertThat(json.path("serveraddress").asText()).isEqualTo("127.0.0.1:5000");
            assertThat(json.size()).isEqualTo(3);
        }
    }

    @Test
    void theHeaderIsBase64UrlSoItNeverHoldsPlusOrSlash() {
        // '?>' and '~~~' encode to '/' and '+' in standard base64
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.basic("u", "?>?>~~~".toCharArray(), "reg")) {
            assertThat(auth.headerValue()).doesNotContain("+", "/").matches("[A-Za-z0-9_=-]+");
        }
    }

    @Test
    void copiesThePasswordAndNeverShowsIt() {
        char[] password = "hunter2".toCharArray();
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.basic("ci-bot", password, "reg.example.com")) {
            java.util.Arrays.fill(password, 'x');

            assertThat(auth.toString()).contains("ci-bot", "reg.example.com").doesNotContain("hunter2", "xxxxxxx");
            assertThat(auth.headerValue()).isEqualTo(DaemonRegistryAuth.basic("ci-bot", "hunter2".toCharArray(), "reg.example.com").headerValue());
        }
    }

    @Test
    void aClosedAuthCannotBeSent() {
        DaemonRegistryAuth auth = DaemonRegistryAuth.basic("ci-bot", "hunter2".toCharArray(), "reg");
        auth.close();

        assertThatThrownBy(auth::headerValue).isInstanceOf(IllegalStateException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void anEmptyUserNameIsRefused() {
        assertThatThrownBy(() -> DaemonRegistryAuth.basic("", "x".toCharArray(), "reg.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reg.example.com");
    }
}
