package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.auth.DockerConfig;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication flows against scripted registries and token realms. */
class RegistryClientAuthFlowTest {
    private static final byte[] BLOB = "blob".getBytes(StandardCharsets.UTF_8);
    private final List<ScriptedHttpServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (ScriptedHttpServer server : servers) {
            assertThat(server.scriptFailures()).isEmpty();
            server.close();
        }
    }

    private ScriptedHttpServer serve(ScriptedHttpServer.Script script) throws Exception {
        ScriptedHttpServer server = ScriptedHttpServer.start(script);
        servers.add(server);
        return server;
    }

    private static ImageReference repo(ScriptedHttpServer server) {
        return ImageReference.parse(server.hostPort() + "/lab/app");
    }

    private static RegistryClient.Builder builder() {
        return RegistryClient.builder().sleeper(d -> { });
    }

    /** A registry that wants {@code Bearer <expected>} and otherwise challenges towards {@code realm}. */
    private ScriptedHttpServer bearerRegistry(String realm, String... acceptedTokens) throws Exception {
        return serve((request, exchange) -> {
            String authorization = request.header("Authorization").orElse("");
            if (List.of(acceptedTokens).stream().anyMatch(t -> authorization.equals("Bearer " + t))) {
                exchange.respond(200, BLOB);
            } else {
                exchange.respond(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                        "WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"svc\"");
            }
        });
    }

    @Test
    void identityTokenIsExchangedByOAuth2RefreshPost() throws Exception {
        ScriptedHttpServer realm = serve((request, exchange) ->
                exchange.respond(200, "{\"access_token\":\"from-refresh\",\"expires_in\":600}"));
        ScriptedHttpServer registry = bearerRegistry("http://" + realm.hostPort() + "/oauth2/token", "from-refresh");
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"" + registry.hostPort()
                + "\":{\"identitytoken\":\"refresh-secret-42\"}}}");

        byte[] blob = builder().credentials(DockerConfig.load(dir)).build().fetchBlob(repo(registry), Digest.sha256(BLOB), 100);

        assertThat(blob).isEqualTo(BLOB);
        ScriptedHttpServer.Request post = realm.requests().get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.header("Authorization")).isEmpty();
        assertThat(post.header("Content-Type")).hasValue("application/x-www-form-urlencoded");
        String form = URLDecoder.decode(new String(post.body(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(form.split("&")).contains("grant_type=refresh_token", "refresh_token=refresh-secret-42", "service=svc",
                "scope=repository:lab/app:pull", "client_id=image-trust");
    }

    @Test
    void refusedCachedTokenIsReplacedUsingBasicNeverTheOldBearer() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        ScriptedHttpServer realm = serve((request, exchange) ->
                exchange.respond(200, "{\"token\":\"t" + issued.incrementAndGet() + "\",\"expires_in\":3600}"));
        // t1 works once, then the registry "revokes" it; t2 works afterwards.
        AtomicInteger t1Uses = new AtomicInteger();
        ScriptedHttpServer registry = serve((request, exchange) -> {
            String authorization = request.header("Authorization").orElse("");
            boolean ok = authorization.equals("Bearer t2") || authorization.equals("Bearer t1") && t1Uses.getAndIncrement() == 0;
            if (ok) {
                exchange.respond(200, BLOB);
            } else {
                exchange.respond(401, "", "WWW-Authenticate", "Bearer realm=\"http://" + "127.0.0.1:" + realm.port()
                        + "/token\",service=\"svc\",error=\"invalid_token\"");
            }
        });
        RegistryClient client = builder().credentials(RegistryCredentials.basic("u", "p".toCharArray())).build();

        client.fetchBlob(repo(registry), Digest.sha256(BLOB), 100);
        client.fetchBlob(repo(registry), Digest.sha256(BLOB), 100);

        assertThat(realm.requests()).hasSize(2).allSatisfy(request ->
                assertThat(request.header("Authorization")).hasValue("Basic " + Base64.getEncoder().encodeToString("u:p".getBytes())));
        assertThat(registry.requests()).extracting(r -> r.header("Authorization").orElse("none"))
                .containsExactly("none", "Bearer t1", "Bearer t1", "Bearer t2");
    }

    @Test
    void plainHttpTokenRealmElsewhereIsRefusedBeforeAnyRequest() throws Exception {
        ScriptedHttpServer registry = bearerRegistry("http://token.example.invalid/token");
        RegistryClient client = builder().credentials(RegistryCredentials.basic("u", "p".toCharArray())).build();

        assertThatThrownBy(() -> client.fetchBlob(repo(registry), Digest.sha256(BLOB), 100))
                .isInstanceOf(RegistryProtocolException.class)
                .hasMessageContaining("refusing to send credentials to the plain-HTTP token realm http://token.example.invalid");
    }

    @Test
    void bearerChallengeWithoutRealmIsAProtocolError() throws Exception {
        ScriptedHttpServer registry = serve((request, exchange) ->
                exchange.respond(401, "", "WWW-Authenticate", "Bearer service=\"svc\""));

        assertThatThrownBy(() -> builder().build().fetchBlob(repo(registry), Digest.sha256(BLOB), 100))
                .isInstanceOf(RegistryProtocolException.class).hasMessageContaining("names no realm");
    }

    @Test
    void basicChallengeUsesDockerConfigCredentialsAndFailsWithoutThem() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        ScriptedHttpServer registry = serve((request, exchange) -> {
            if (request.header("Authorization").orElse("").equals(expected)) {
                exchange.respond(200, BLOB);
            } else {
                exchange.respond(401, "", "WWW-Authenticate", "Basic realm=\"registry\"");
            }
        });
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"http://" + registry.hostPort() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");

        assertThat(builder().credentials(DockerConfig.load(dir)).build().fetchBlob(repo(registry), Digest.sha256(BLOB), 100))
                .isEqualTo(BLOB);
        assertThatThrownBy(() -> builder().build().fetchBlob(repo(registry), Digest.sha256(BLOB), 100))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("requires credentials");
    }
}
