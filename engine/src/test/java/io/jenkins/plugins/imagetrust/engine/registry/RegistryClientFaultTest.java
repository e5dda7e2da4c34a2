package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault injection: a scripted HTTP server plays a misbehaving registry. No test sleeps for real between retries. */
class RegistryClientFaultTest {
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
            + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final Digest MANIFEST_DIGEST = Digest.sha256(MANIFEST);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<ScriptedHttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
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

    private RegistryClient.Builder clientBuilder() {
        return RegistryClient.builder().listener(events::add).sleeper(sleeps::add)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).retries(3).requestTimeout(Duration.ofSeconds(10));
    }

    private static ImageReference repo(ScriptedHttpServer server) {
        return ImageReference.parse(server.hostPort() + "/lab/app");
    }

    private static void manifestOk(ScriptedHttpServer.Exchange exchange) throws Exception {
        exchange.respond(200, MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", MANIFEST_DIGEST.toString());
    }

    @Test
    void bearerChallengeIsAnsweredWithATokenFromTheRealmAndCached() throws Exception {
        ScriptedHttpServer tokenServer = serve((request, exchange) -> exchange.respond(200,
                "{\"access_token\":\"tok-123\",\"expires_in\":300}", "Content-Type", "application/json"));
        ScriptedHttpServer registry = serve((request, exchange) -> {
            if (request.header("Authorization").orElse("").equals("Bearer tok-123")) {
                manifestOk(exchange);
            } else {
                exchange.respond(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                        "WWW-Authenticate", "Bearer realm=\"http://" + tokenServer.hostPort() + "/token\",service=\"scripted, with comma\","
                                + "scope=\"repository:lab/app:pull\"");
            }
        });
        RegistryClient client = clientBuilder().credentials(RegistryCredentials.basic("alice", "s3cret".toCharArray())).build();

        assertThat(client.fetchManifest(repo(registry), "1.0").orElseThrow().bytes()).isEqualTo(MANIFEST);
        assertThat(client.fetchManifest(repo(registry), "1.0")).isPresent();

        List<ScriptedHttpServer.Request> tokenRequests = tokenServer.requests();
        assertThat(tokenRequests).hasSize(1);
        ScriptedHttpServer.Request tokenRequest = tokenRequests.get(0);
        String query = URLDecoder.decode(tokenRequest.query(), StandardCharsets.UTF_8);
        assertThat(query).contains("service=scripted, with comma").contains("scope=repository:lab/app:pull");
        assertThat(tokenRequest.header("Authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(registry.requests()).hasSize(3); // 401, retry with token, then straight with the cached token
        assertThat(events).extracting(ProgressEvent::message).noneMatch(m -> m.contains("tok-123") || m.contains("s3cret"));
    }

    @Test
    void tooManyRequestsWithRetryAfterSecondsThenSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (calls.getAndIncrement() == 0) {
                exchange.respond(429, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}", "Retry-After", "7");
            } else {
                manifestOk(exchange);
            }
        });

        assertThat(clientBuilder().build().fetchManifest(repo(server), "1.0")).isPresent();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(events).filteredOn(e -> e.severity() == ProgressEvent.Severity.WARNING).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("HTTP 429").contains("retry 1 of 3"));
    }

    @Test
    void retryAfterAsHttpDateIsHonouredAndCapped() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String inTwelveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(12), ZoneOffset.UTC));
        ScriptedHttpServer server = serve((request, exchange) -> {
            int n = calls.getAndIncrement();
            if (n == 0) {
                exchange.respond(503, "", "Retry-After", inTwelveSeconds);
            } else if (n == 1) {
                exchange.respond(503, "", "Retry-After", "86400");
            } else {
                manifestOk(exchange);
            }
        });

        assertThat(clientBuilder().backoff(Duration.ofMillis(500), Duration.ofSeconds(30)).build()
                .fetchManifest(repo(server), "1.0")).isPresent();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(30));
    }

    @Test
    void serverErrorThenSuccessBacksOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (calls.getAndIncrement() < 2) {
                exchange.respond(502, "bad gateway");
            } else {
                exchange.respondHead(200, MANIFEST.length, "Content-Type", MediaTypes.OCI_MANIFEST,
                        "Docker-Content-Digest", MANIFEST_DIGEST.toString());
            }
        });

        Descriptor descriptor = clientBuilder().build().resolve(repo(server).withTag("1.0"));

        assertThat(descriptor).isEqualTo(new Descriptor(MediaTypes.OCI_MANIFEST, MANIFEST_DIGEST, MANIFEST.length));
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void serverErrorStormGivesUpAfterTheRetries() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(503,
                "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}"));

        assertThatThrownBy(() -> clientBuilder().build().fetchManifest(repo(server), "1.0"))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("fetch-manifest " + server.hostPort() + "/lab/app")
                .hasMessageContaining("HTTP 503 UNAVAILABLE: maintenance")
                .hasMessageContaining("gave up after 4 attempts")
                .satisfies(e -> assertThat(((RegistryUnavailableException) e).attempts()).isEqualTo(4));
        assertThat(server.requests()).hasSize(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));
    }

    @Test
    void connectionResetIsRetried() throws Exception {
        // The JDK itself resends a GET once when the connection dies; two resets get past it to our retry.
        AtomicInteger calls = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (calls.getAndIncrement() < 2) {
                exchange.reset();
            } else {
                manifestOk(exchange);
            }
        });

        assertThat(clientBuilder().build().fetchManifest(repo(server), "1.0")).isPresent();

        assertThat(server.requests()).hasSize(3);
        assertThat(sleeps).hasSize(1);
        assertThat(events).filteredOn(e -> e.severity() == ProgressEvent.Severity.WARNING).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("connection to http://" + server.hostPort() + " failed"));
    }

    @Test
    void uploadIsNotRetriedWithinItsSessionButRestartedAsAWhole() throws Exception {
        byte[] blob = "blob".getBytes(StandardCharsets.UTF_8);
        AtomicInteger puts = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (request.method().equals("HEAD")) {
                exchange.respondHead(404, 0);
            } else if (request.method().equals("POST")) {
                exchange.respond(202, "", "Location", "/v2/lab/app/blobs/uploads/session-" + puts.get() + "?_state=abc");
            } else if (puts.getAndIncrement() == 0) {
                exchange.reset();
            } else {
                exchange.respond(201, "", "Docker-Content-Digest", Digest.sha256(blob).toString());
            }
        });

        assertThat(clientBuilder().build().pushBlob(repo(server), blob)).isEqualTo(Digest.sha256(blob));

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.target()).containsExactly(
                "HEAD /v2/lab/app/blobs/" + Digest.sha256(blob),
                "POST /v2/lab/app/blobs/uploads/",
                "PUT /v2/lab/app/blobs/uploads/session-0?_state=abc&digest=" + Digest.sha256(blob),
                "POST /v2/lab/app/blobs/uploads/",
                "PUT /v2/lab/app/blobs/uploads/session-1?_state=abc&digest=" + Digest.sha256(blob));
        assertThat(server.requests().get(4).body()).isEqualTo(blob);
        assertThat(server.requests().get(4).header("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void absoluteUploadLocationWithoutQueryGetsDigestAsFirstParameter() throws Exception {
        byte[] blob = "another blob".getBytes(StandardCharsets.UTF_8);
        ScriptedHttpServer[] self = new ScriptedHttpServer[1];
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (request.method().equals("HEAD")) {
                exchange.respondHead(404, 0);
            } else if (request.method().equals("POST")) {
                exchange.respond(202, "", "Location", "http://" + self[0].hostPort() + "/upload/xyz");
            } else {
                exchange.respond(201, "");
            }
        });
        self[0] = server;

        clientBuilder().build().pushBlob(repo(server), blob);

        assertThat(server.requests().get(2).target()).isEqualTo("/upload/xyz?digest=" + Digest.sha256(blob));
    }

    @Test
    void manifestWhoseBytesDoNotMatchTheRequestedDigestIsRefused() throws Exception {
        byte[] other = "{\"schemaVersion\":2,\"evil\":true}".getBytes(StandardCharsets.UTF_8);
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(200, other,
                "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", MANIFEST_DIGEST.toString()));

        assertThatThrownBy(() -> clientBuilder().build().fetchManifest(repo(server), MANIFEST_DIGEST.toString()))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(MANIFEST_DIGEST);
                    assertThat(e.actual()).isEqualTo(Digest.sha256(other));
                })
                .hasMessageContaining(MANIFEST_DIGEST.toString()).hasMessageContaining(Digest.sha256(other).toString());
    }

    @Test
    void tagFetchWhoseDigestHeaderContradictsTheBytesIsRefused() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(200, MANIFEST,
                "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", Digest.sha256(new byte[1]).toString()));

        assertThatThrownBy(() -> clientBuilder().build().fetchManifest(repo(server), "1.0"))
                .isInstanceOf(DigestMismatchException.class);
    }

    @Test
    void blobNotMatchingItsDigestIsRefused() throws Exception {
        byte[] wanted = "wanted".getBytes(StandardCharsets.UTF_8);
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(200, "tampered"));

        assertThatThrownBy(() -> clientBuilder().build().fetchBlob(repo(server), Digest.sha256(wanted), 1024))
                .isInstanceOfSatisfying(DigestMismatchException.class,
                        e -> assertThat(e.actual()).isEqualTo(Digest.sha256("tampered".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void headWithoutDigestFallsBackToGetAndHash() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (request.method().equals("HEAD")) {
                exchange.respondHead(200, MANIFEST.length, "Content-Type", MediaTypes.OCI_MANIFEST);
            } else {
                exchange.respond(200, MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST);
            }
        });

        Descriptor descriptor = clientBuilder().build().resolve(repo(server).withTag("1.0"));

        assertThat(descriptor.digest()).isEqualTo(MANIFEST_DIGEST);
        assertThat(server.requests()).extracting(ScriptedHttpServer.Request::method).containsExactly("HEAD", "GET");
        assertThat(server.requests().get(0).header("Accept")).hasValueSatisfying(accept -> assertThat(accept)
                .contains(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST));
    }

    @Test
    void oversizeManifestIsRefusedAtTheCap() throws Exception {
        byte[] big = new byte[5000];
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(200, big, "Content-Type", MediaTypes.OCI_MANIFEST));

        assertThatThrownBy(() -> clientBuilder().maxManifestBytes(4096).build().fetchManifest(repo(server), "1.0"))
                .isInstanceOfSatisfying(SizeLimitExceededException.class, e -> assertThat(e.limitBytes()).isEqualTo(4096))
                .hasMessageContaining("manifest 1.0 is larger than the limit of 4096 bytes");
    }

    @Test
    void endlessBodyStopsAtTheCap() throws Exception {
        AtomicInteger chunksWritten = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            exchange.writeHead(200, -1, "Content-Type", "application/octet-stream");
            byte[] chunk = new byte[8192];
            while (chunksWritten.get() < 100_000) { // ~800 MB if nobody stops it
                exchange.writeChunk(chunk);
                chunksWritten.incrementAndGet();
            }
        });
        Digest someDigest = Digest.sha256(new byte[0]);
        long started = System.nanoTime();

        assertThatThrownBy(() -> clientBuilder().build().fetchBlob(repo(server), someDigest, 64 * 1024))
                .isInstanceOf(SizeLimitExceededException.class)
                .hasMessageContaining("65536");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(300);
        int afterStop = chunksWritten.get();
        Thread.sleep(300);
        assertThat(chunksWritten.get()).isLessThan(100_000).isEqualTo(afterStop);
    }

    @Test
    void stalledBodyTimesOutWithinTheConfiguredTimeout() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> {
            exchange.writeHead(200, 1000, "Content-Type", MediaTypes.OCI_MANIFEST);
            exchange.write(new byte[10]);
            Thread.sleep(20_000);
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> clientBuilder().requestTimeout(Duration.ofSeconds(1)).build().fetchManifest(repo(server), "1.0"))
                .isInstanceOf(RegistryTimeoutException.class)
                .hasMessageContaining("within PT1S");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(server.requests()).hasSize(1); // timeouts are not retried
    }

    @Test
    void silentServerTimesOutAtTheHeadersWithinTheConfiguredTimeout() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> Thread.sleep(20_000));
        long started = System.nanoTime();

        assertThatThrownBy(() -> clientBuilder().requestTimeout(Duration.ofSeconds(1)).build().fetchManifest(repo(server), "1.0"))
                .isInstanceOf(RegistryTimeoutException.class)
                .hasMessageContaining("within PT1S");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void bodyTrickleSlowerThanTheDeadlineIsCutOffAtTheDeadline() throws Exception {
        AtomicInteger chunksWritten = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> {
            exchange.writeHead(200, -1, "Content-Type", "application/octet-stream");
            for (int i = 0; i < 100; i++) { // 10 s of bytes, each in time for any per-read timeout
                exchange.writeChunk(new byte[16]);
                chunksWritten.incrementAndGet();
                Thread.sleep(100);
            }
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> clientBuilder().requestTimeout(Duration.ofSeconds(1)).build()
                .fetchBlob(repo(server), Digest.sha256(new byte[0]), 64 * 1024))
                .isInstanceOf(RegistryTimeoutException.class)
                .hasMessageContaining("no complete response")
                .hasMessageContaining("within PT1S");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(chunksWritten.get()).isLessThan(100);
    }

    @Test
    void crossOriginRedirectDropsAuthorization() throws Exception {
        byte[] blob = "redirected blob".getBytes(StandardCharsets.UTF_8);
        ScriptedHttpServer storage = serve((request, exchange) -> exchange.respond(200, blob));
        ScriptedHttpServer registry = serve((request, exchange) -> {
            if (request.header("Authorization").isEmpty()) {
                exchange.respond(401, "", "WWW-Authenticate", "Basic realm=\"scripted\"");
            } else {
                exchange.respond(307, "", "Location", "http://" + storage.hostPort() + "/bucket/blob?sig=1");
            }
        });
        RegistryClient client = clientBuilder().credentials(RegistryCredentials.basic("alice", "pw".toCharArray())).build();

        assertThat(client.fetchBlob(repo(registry), Digest.sha256(blob), 1024)).isEqualTo(blob);

        assertThat(registry.requests()).hasSize(2);
        assertThat(registry.requests().get(1).header("Authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(storage.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("Authorization")).isEmpty();
            assertThat(r.target()).isEqualTo("/bucket/blob?sig=1");
        });
    }

    @Test
    void redirectToAPlainHttpHostElsewhereIsRefusedBeforeAnyRequest() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(307, "", "Location",
                "http://storage.example.invalid/bucket/blob"));

        assertThatThrownBy(() -> clientBuilder().build().fetchBlob(repo(server), MANIFEST_DIGEST, 1024))
                .isInstanceOf(RegistryProtocolException.class)
                .hasMessageContaining("refusing plain HTTP to http://storage.example.invalid");
    }

    @Test
    void redirectLoopIsDetected() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(302, "", "Location",
                request.path().endsWith("/a") ? "/b" : "/a"));

        assertThatThrownBy(() -> clientBuilder().build().fetchBlob(repo(server), MANIFEST_DIGEST, 1024))
                .isInstanceOf(RegistryProtocolException.class)
                .hasMessageContaining("redirect loop");
        assertThat(server.requests()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void tooManyRedirectsAreRefused() throws Exception {
        AtomicInteger hop = new AtomicInteger();
        ScriptedHttpServer server = serve((request, exchange) -> exchange.respond(308, "", "Location", "/hop/" + hop.incrementAndGet()));

        assertThatThrownBy(() -> clientBuilder().build().fetchBlob(repo(server), MANIFEST_DIGEST, 1024))
                .isInstanceOf(RegistryProtocolException.class)
                .hasMessageContaining("more than 5 redirects");
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void tagListFollowsLinkHeaders() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> {
            String last = request.query().contains("last=") ? request.query().replaceAll(".*last=([^&]*).*", "$1") : "";
            switch (last) {
                case "":
                    exchange.respond(200, "{\"name\":\"lab/app\",\"tags\":[\"a\",\"b\"]}",
                            "Link", "</v2/lab/app/tags/list?n=2&last=b>; rel=\"next\"");
                    break;
                case "b":
                    exchange.respond(200, "{\"name\":\"lab/app\",\"tags\":[\"c\",\"d\"]}",
                            "Link", "<http://" + "127.0.0.1:" + request.header("Host").orElseThrow().replaceAll(".*:", "")
                                    + "/v2/lab/app/tags/list?n=2&last=d>; rel=next");
                    break;
                default:
                    exchange.respond(200, "{\"name\":\"lab/app\",\"tags\":[\"e\"]}");
            }
        });

        List<String> tags = clientBuilder().tagPageSize(2).build().listTags(repo(server));

        assertThat(tags).containsExactly("a", "b", "c", "d", "e");
        assertThat(server.requests()).extracting(ScriptedHttpServer.Request::target).containsExactly(
                "/v2/lab/app/tags/list?n=2", "/v2/lab/app/tags/list?n=2&last=b", "/v2/lab/app/tags/list?n=2&last=d");
    }

    @Test
    void plainHttpRequestsUseHttp11WithoutUpgrade() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> manifestOk(exchange));

        clientBuilder().build().fetchManifest(repo(server), "1.0");

        assertThat(server.requests().get(0).header("Upgrade")).isEmpty();
        assertThat(server.requests().get(0).header("HTTP2-Settings")).isEmpty();
    }

    @Test
    void referrersApiIndexIsReturnedAndANonIndexAnswerRefused() throws Exception {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        ScriptedHttpServer api = serve((request, exchange) -> exchange.respond(200, index, "Content-Type", MediaTypes.OCI_INDEX));
        ScriptedHttpServer html = serve((request, exchange) -> exchange.respond(200, "<html/>", "Content-Type", "text/html"));

        assertThat(clientBuilder().build().fetchReferrers(repo(api), MANIFEST_DIGEST).orElseThrow().bytes()).isEqualTo(index);
        assertThat(api.requests()).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("/v2/lab/app/referrers/" + MANIFEST_DIGEST);
            assertThat(r.header("Accept")).hasValue(MediaTypes.OCI_INDEX);
        });
        assertThatThrownBy(() -> clientBuilder().build().fetchReferrers(repo(html), MANIFEST_DIGEST))
                .isInstanceOf(RegistryProtocolException.class).hasMessageContaining("text/html");
    }

    @Test
    void deniedAndUnauthorizedAreTyped() throws Exception {
        ScriptedHttpServer server = serve((request, exchange) -> {
            if (request.path().contains("/manifests/")) {
                exchange.respond(403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}");
            } else {
                exchange.respond(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            }
        });
        RegistryClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.fetchManifest(repo(server), "1.0"))
                .isInstanceOfSatisfying(RegistryDeniedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.hasErrorCode("DENIED")).isTrue();
                    assertThat(e.registry()).isEqualTo(server.hostPort());
                    assertThat(e.repository()).isEqualTo("lab/app");
                    assertThat(e.operation()).isEqualTo("fetch-manifest");
                });
        assertThatThrownBy(() -> client.listTags(repo(server)))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("UNAUTHORIZED: authentication required");
    }

    @Test
    void aFailedTlsHandshakeIsNotRetriedAndARefusedConnectionIsSaidInWords() throws Exception {
        AtomicInteger handshakes = new AtomicInteger();
        try (java.net.ServerSocket notTls = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                while (!notTls.isClosed()) {
                    try (java.net.Socket socket = notTls.accept()) {
                        handshakes.incrementAndGet();
                        // Answer the ClientHello, not the connection: a socket closed before the hello arrives is a
                        // reset the JDK client may retry, which is not the failure this test is about.
                        socket.getInputStream().read(new byte[512]);
                        socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            // Loopback registries speak HTTP: a redirect is how a TLS endpoint is reached here (HTTP to HTTPS is allowed).
            ScriptedHttpServer registry = serve((request, exchange) -> exchange.respond(307, "", "Location",
                    "https://127.0.0.1:" + notTls.getLocalPort() + request.target()));
            RegistryClient client = clientBuilder().build();
            assertThatThrownBy(() -> client.fetchManifest(repo(registry), "1.0"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("TLS with https://127.0.0.1:" + notTls.getLocalPort() + " failed");
            assertThat(handshakes.get()).as("a handshake that failed fails the same way again: no retry").isEqualTo(1);
            assertThat(sleeps).isEmpty();
        }

        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        RegistryClient client = clientBuilder().build();
        assertThatThrownBy(() -> client.fetchManifest(ImageReference.parse("127.0.0.1:" + closed + "/lab/app"), "1.0"))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ConnectException"));
        assertThat(events).extracting(ProgressEvent::message).filteredOn(m -> m.contains("retry"))
                .allMatch(m -> m.contains("connection refused") && !m.contains("Exception"));
    }
}
