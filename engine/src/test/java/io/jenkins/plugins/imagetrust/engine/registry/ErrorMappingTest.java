package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
    private final CallContext context = new CallContext("reg.example:5000", "lab/app", "fetch-manifest");

    private static HttpResult response(int status, String body) {
        return new HttpResult(status, HttpHeaders.of(Map.of(), (a, b) -> true), body.getBytes(StandardCharsets.UTF_8),
                URI.create("https://reg.example:5000/v2/"));
    }

    @Test
    void unauthorizedDeniedAndOtherStatusesAreTyped() {
        assertThat(context.unexpected(response(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\","
                + "\"detail\":[{\"Type\":\"repository\",\"Name\":\"lab/app\",\"Action\":\"pull\"}]}]}")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageStartingWith("fetch-manifest reg.example:5000/lab/app: ")
                .hasMessageContaining("HTTP 401; UNAUTHORIZED: authentication required ([{\"Type\":\"repository\"");
        assertThat(context.unexpected(response(403, ""))).isInstanceOf(RegistryDeniedException.class);
        assertThat(context.unexpected(response(400, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\"}]}")))
                .isInstanceOf(RegistryDeniedException.class);
        RegistryErrorException invalid = context.unexpected(response(400,
                "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\",\"detail\":null}]}"));
        assertThat(invalid.getClass()).isEqualTo(RegistryErrorException.class);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.hasErrorCode("MANIFEST_INVALID")).isTrue();
        assertThat(invalid.errors()).singleElement().satisfies(e -> assertThat(e.detail()).isEmpty());
    }

    @Test
    void unknownManifestAndBlob() {
        ManifestUnknownException manifest = context.manifestUnknown(response(404,
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"), "1.0");
        assertThat(manifest).hasMessageContaining("no manifest 1.0").hasMessageContaining("MANIFEST_UNKNOWN");
        Digest digest = Digest.sha256(new byte[0]);
        assertThat(context.blobUnknown(response(404, ""), digest)).hasMessageContaining("no blob " + digest);
    }

    @Test
    void nonJsonOrHostileBodiesAreHarmless() {
        assertThat(context.unexpected(response(500, "<html>oops</html>")).errors()).isEmpty();
        assertThat(context.unexpected(response(500, "{\"errors\":{}}")).errors()).isEmpty();
        String longMessage = "x".repeat(10_000) + "\\u001b[31m";
        RegistryErrorException e = context.unexpected(response(500,
                "{\"errors\":[{\"code\":\"X\",\"message\":\"line1\\nline2\\u001b" + longMessage + "\"}]}"));
        assertThat(e.errors().get(0).message()).doesNotContain("\n", "\u001b").hasSizeLessThan(400);
        assertThat(ErrorBodies.parse(("{\"errors\":[" + "{\"code\":\"A\"},".repeat(100) + "{}]}")
                .getBytes(StandardCharsets.UTF_8))).hasSize(10);
    }
}
