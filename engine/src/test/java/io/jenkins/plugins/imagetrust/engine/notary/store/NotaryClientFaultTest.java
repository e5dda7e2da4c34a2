package io.jenkins.plugins.imagetrust.engine.notary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataTooLargeException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServerException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted server: status mapping, caps, timeouts, what is sent. */
class NotaryClientFaultTest {
    private static final String GUN = "127.0.0.1:5000/lab/app";

    private HttpServer server;
    private final Map<String, Handler> script = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            Handler handler = script.get(path.substring(path.lastIndexOf('/') + 1));
            try {
                if (handler == null) {
                    respond(exchange, 404, "{\"errors\":[{\"code\":\"METADATA_NOT_FOUND\",\"message\":\"You have requested metadata that does not exist.\",\"detail\":{}}]}");
                } else {
                    handler.handle(exchange);
                }
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private NotaryClient client(Duration timeout) {
        return NotaryClient.builder("http://127.0.0.1:" + server.getAddress().getPort()).requestTimeout(timeout).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Test
    void fetchesByRoleAndChecksumUnderTheTufPath() throws Exception {
        script.put("timestamp.json", e -> respond(e, 200, "{\"signed\":{}}"));
        String checksum = "ab".repeat(32);
        script.put("snapshot." + checksum + ".json", e -> respond(e, 200, "snap"));

        assertThat(client(Duration.ofSeconds(5)).fetch(GUN, "timestamp", 1000)).asString().isEqualTo("{\"signed\":{}}");
        assertThat(client(Duration.ofSeconds(5)).fetch(GUN, "snapshot." + checksum, 4)).asString().isEqualTo("snap");
        assertThat(requests).containsExactly("GET /v2/" + GUN + "/_trust/tuf/timestamp.json null",
                "GET /v2/" + GUN + "/_trust/tuf/snapshot." + checksum + ".json null");
    }

    @Test
    void notFoundIsTyped() {
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "root", 1000))
                .isInstanceOfSatisfying(MetadataNotFoundException.class, e -> {
                    assertThat(e.gun()).isEqualTo(GUN);
                    assertThat(e.name()).isEqualTo("root");
                });
    }

    @Test
    void aBodyOverTheCapIsCutOff() {
        script.put("timestamp.json", e -> respond(e, 200, "x".repeat(5000)));
        script.put("root.json", e -> {
            e.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
            OutputStream out = e.getResponseBody();
            for (int i = 0; i < 100; i++) {
                out.write(new byte[1024]);
            }
        });

        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "timestamp", 100))
                .isInstanceOfSatisfying(MetadataTooLargeException.class, e -> {
                    assertThat(e.role()).isEqualTo("timestamp");
                    assertThat(e.maxBytes()).isEqualTo(100);
                });
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "root", 10_000)).isInstanceOf(MetadataTooLargeException.class);
    }

    @Test
    void aSlowBodyTimesOut() {
        script.put("timestamp.json", e -> {
            e.sendResponseHeaders(200, 10);
            e.getResponseBody().write('{');
            e.getResponseBody().flush();
            try {
                Thread.sleep(5000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> client(Duration.ofMillis(700)).fetch(GUN, "timestamp", 1000))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(-1);
                    assertThat(e.getMessage()).contains("within");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void invalidUpdateCarriesTheServersCodeAndDetail() {
        script.put("", e -> respond(e, 400, "{\"errors\":[{\"code\":\"INVALID_UPDATE\",\"message\":\"Update sent by the client is invalid.\","
                + "\"detail\":{\"Name\":\"ErrBadTargets\",\"Error\":{\"Msg\":\"valid signatures did not meet threshold for targets\"}}}]}"));

        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).publish(GUN, List.of(new Multipart.Part("targets", "{}".getBytes(StandardCharsets.UTF_8)))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).contains("INVALID_UPDATE");
                    assertThat(e.detail()).contains("Update sent by the client is invalid.").contains("ErrBadTargets")
                            .contains("valid signatures did not meet threshold for targets");
                });
        assertThat(requests).singleElement().asString().startsWith("POST /v2/" + GUN + "/_trust/tuf/ multipart/form-data; boundary=");
    }

    @Test
    void serverFailuresAndUnreadableErrorsAreReported() {
        script.put("timestamp.json", e -> respond(e, 503, "<html>down</html>"));
        script.put("timestamp.key", e -> respond(e, 500, "{\"errors\":[{\"code\":\"NO_CRYPTOSERVICE\",\"message\":\"no crypto\"}]}"));

        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "timestamp", 1000))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEmpty();
                    assertThat(e.detail()).isEqualTo("(no readable error body)");
                });
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).serverKey(GUN, "timestamp"))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.code()).contains("NO_CRYPTOSERVICE"));
    }

    @Test
    void refusesUnsafeNamesAndPlainHttpToOtherHosts() {
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch("127.0.0.1:5000/../admin", "root", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "../../secrets", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).serverKey(GUN, "targets")).hasMessageContaining("only timestamp and snapshot");
        assertThatThrownBy(() -> NotaryClient.builder("http://notary.example.com").build()).hasMessageContaining("https");
        assertThatThrownBy(() -> NotaryClient.builder("https://notary.example.com/path").build()).hasMessageContaining("https://host[:port]");
        assertThat(requests).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() {
        script.put("timestamp.json", e -> {
            e.getResponseHeaders().set("Location", "/v2/" + GUN + "/_trust/tuf/elsewhere.json");
            respond(e, 302, "");
        });
        script.put("elsewhere.json", e -> respond(e, 200, "{}"));

        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "timestamp", 1000))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.status()).isEqualTo(302));
        assertThat(requests).containsExactly("GET /v2/" + GUN + "/_trust/tuf/timestamp.json null");
    }

    @Test
    void anErrorBodyOverTheTransportsCapIsSaidToBeTooLarge() {
        script.put("timestamp.json", e -> respond(e, 500, "{\"errors\":[{\"code\":\"X\",\"message\":\"" + "x".repeat(40_000) + "\"}]}"));

        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).fetch(GUN, "timestamp", 1000))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.detail()).isEqualTo("(error body too large)");
                });
    }

    @Test
    void plainHttpOnlyToLiteralLoopbackHosts() {
        assertThat(NotaryClient.builder("http://localhost:4443").build().serverUrl()).hasHost("localhost");
        assertThat(NotaryClient.builder("http://[::1]:4443").build().serverUrl()).hasPort(4443);
        // a name is never resolved to decide: the engine's one loopback rule (HostPolicy.isLoopbackHost)
        assertThatThrownBy(() -> NotaryClient.builder("http://localhost.localdomain:4443").build()).hasMessageContaining("https");
    }

    @Test
    void aConnectionRefusedIsAServerException() {
        server.stop(0);
        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).fetch(GUN, "root", 10))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.getMessage()).contains("cannot reach"));
    }
}
