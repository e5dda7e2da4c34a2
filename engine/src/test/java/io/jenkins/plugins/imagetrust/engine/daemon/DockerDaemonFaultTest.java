package io.jenkins.plugins.imagetrust.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DockerDaemon} against a scripted daemon (a JDK HTTP server on 127.0.0.1, reached over {@code tcp://} through
 * the zerodep transport): what it sends, and how it treats errors, oversized and malformed answers and timeouts.
 */
class DockerDaemonFaultTest {
    private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5000/lab/app:1");
    private static final String DIGEST = "sha256:" + "d".repeat(64);

    private HttpServer server;
    private DockerHttpClient http;
    private String endpoint;
    private final List<String> paths = new ArrayList<>();
    private final Map<String, String> authHeaders = new ConcurrentHashMap<>();
    private final List<ProgressEvent> events = new ArrayList<>();

    /** What the scripted daemon answers: status, body, and a delay before answering. */
    private volatile int status = 200;
    private volatile byte[] body = new byte[0];
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        endpoint = "tcp://127.0.0.1:" + server.getAddress().getPort();
        http = client(endpoint, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.stop(0);
    }

    private static DockerHttpClient client(String host, Duration responseTimeout) {
        return new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(responseTimeout).build();
    }

    private void answer(HttpExchange exchange) throws IOException {
        synchronized (paths) {
            paths.add(exchange.getRequestURI().getRawPath());
        }
        String auth = exchange.getRequestHeaders().getFirst("X-Registry-Auth");
        if (auth != null) {
            authHeaders.put(exchange.getRequestURI().getRawPath(), auth);
        }
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] answer = body;
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        } catch (IOException e) {
            // the client gave up (timeout or cap): nothing to do
        }
    }

    private void script(int newStatus, String newBody) {
        status = newStatus;
        body = newBody.getBytes(StandardCharsets.UTF_8);
    }

    private DockerDaemon daemon() {
        return DockerDaemon.builder(http, endpoint).listener(events::add).build();
    }

    @Test
    void inspectsByTheFullyQualifiedNameUnderTheApiVersion() throws Exception {
        script(200, "{\"Id\":\"sha256:" + "e".repeat(64) + "\",\"RepoTags\":[\"127.0.0.1:5000/lab/app:1\"],"
                + "\"RepoDigests\":[\"127.0.0.1:5000/lab/app@" + DIGEST + "\"],\"Size\":123}");

        LocalImage image = daemon().inspectImage(IMAGE);

        assertThat(paths).containsExactly("/v1.41/images/127.0.0.1:5000/lab/app:1/json");
        assertThat(image.repoTags()).containsExactly("127.0.0.1:5000/lab/app:1");
        assertThat(image.digestsFor(IMAGE)).extracting(Object::toString).containsExactly(DIGEST);
        assertThat(events).extracting(ProgressEvent::severity).containsOnly(ProgressEvent.Severity.DEBUG);
    }

    @Test
    void unversionedPathsWhenAskedForTheDaemonsNewestApi() throws Exception {
        script(200, "{\"Id\":\"sha256:x\",\"RepoDigests\":null}");

        LocalImage image = DockerDaemon.builder(http, endpoint).apiVersion(null).build().inspectImage(IMAGE);

        assertThat(paths).containsExactly("/images/127.0.0.1:5000/lab/app:1/json");
        assertThat(image.repoDigests()).isEmpty();
    }

    @Test
    void distributionSendsTheRegistryAuthAndReadsTheDescriptor() throws Exception {
        script(200, "{\"Descriptor\":{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + DIGEST
                + "\",\"size\":1609},\"Platforms\":[{\"architecture\":\"amd64\",\"os\":\"linux\"}]}");

        Descriptor descriptor;
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.basic("ci-bot", "s3cret".toCharArray(), "127.0.0.1:5000")) {
            descriptor = daemon().distribution(IMAGE, auth);
        }

        String path = "/v1.41/distribution/127.0.0.1:5000/lab/app:1/json";
        assertThat(paths).containsExactly(path);
        assertThat(new String(Base64.getUrlDecoder().decode(authHeaders.get(path)), StandardCharsets.UTF_8))
                .isEqualTo("{\"username\":\"ci-bot\",\"password\":\"s3cret\",\"serveraddress\":\"127.0.0.1:5000\"}");
        assertThat(descriptor.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(descriptor.digest()).hasToString(DIGEST);
        assertThat(descriptor.size()).isEqualTo(1609);
        assertThat(events).extracting(ProgressEvent::message).noneMatch(m -> m.contains("s3cret"));
    }

    @Test
    void aPinnedReferenceAndAnIpv6RegistryStayOnePathSegment() throws Exception {
        script(200, "{\"Id\":\"sha256:x\"}");

        daemon().inspectImage(ImageReference.parse("[::1]:5000/lab/app@" + DIGEST));

        assertThat(paths).containsExactly("/v1.41/images/%5B::1%5D:5000/lab/app@" + DIGEST + "/json");
    }

    @Test
    void aDaemonErrorCarriesStatusEndpointOperationAndTheDaemonsMessage() {
        script(500, "{\"message\":\"Get \\\"http://127.0.0.1:5000/v2/\\\": dial tcp: connection refused\"}");

        DaemonException failure;
        try (DaemonRegistryAuth auth = DaemonRegistryAuth.basic("ci-bot", "s3cret".toCharArray(), "127.0.0.1:5000")) {
            failure = catchThrowableOfType(DaemonException.class, () -> daemon().distribution(IMAGE, auth));
        }

        assertThat(failure).isNotNull().isNotInstanceOf(DaemonNotFoundException.class);
        assertThat(failure.status()).hasValue(500);
        assertThat(failure.endpoint()).isEqualTo(endpoint);
        assertThat(failure.operation()).isEqualTo("resolve " + IMAGE + " in its registry");
        assertThat(failure.getMessage()).contains(endpoint, "HTTP 500", "connection refused").doesNotContain("s3cret");
    }

    @Test
    void notFoundIsItsOwnType() {
        script(404, "{\"message\":\"No such image: 127.0.0.1:5000/lab/app:1\"}");

        DaemonNotFoundException missing = catchThrowableOfType(DaemonNotFoundException.class, () -> daemon().inspectImage(IMAGE));

        assertThat(missing).isNotNull();
        assertThat(missing.getMessage()).contains("inspect image " + IMAGE, "No such image");
    }

    @Test
    void anErrorMessageIsShortenedAndStrippedOfControlCharacters() {
        script(500, "{\"message\":\"bad\\u001b[31m\\nthing " + "x".repeat(5000) + "\"}");

        DaemonException failure = catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE));

        assertThat(failure.getMessage()).doesNotContain("\u001b", "\n").contains("bad [31m thing").hasSizeLessThan(1000);
    }

    @Test
    void aNonJsonErrorBodyIsQuotedAsText() {
        script(502, "<html>bad gateway</html>");

        DaemonException failure = catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE));

        assertThat(failure.getMessage()).contains("HTTP 502", "<html>bad gateway</html>");
    }

    @Test
    void anAnswerLargerThanTheCapIsRefused() {
        script(200, "{\"Id\":\"sha256:x\",\"Pad\":\"" + "x".repeat(DockerDaemon.MAX_INSPECT_BYTES) + "\"}");

        DaemonException failure = catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("larger than " + DockerDaemon.MAX_INSPECT_BYTES + " bytes");
    }

    @Test
    void malformedAnswersAreRefusedWithWhatIsWrong() {
        script(200, "not json");
        assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE)))
                .hasMessageContaining("not valid JSON");

        script(200, "[1,2]");
        assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE)))
                .hasMessageContaining("not a JSON object");

        script(200, "{\"RepoDigests\":[]}");
        assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().inspectImage(IMAGE)))
                .hasMessageContaining("no image Id");

        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            script(200, "{\"Descriptor\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":5}}");
            assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().distribution(IMAGE, anonymous)))
                    .hasMessageContaining("Descriptor.digest");

            script(200, "{\"Descriptor\":{\"mediaType\":\"m\",\"digest\":\"sha256:abc\",\"size\":5}}");
            assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().distribution(IMAGE, anonymous)))
                    .hasMessageContaining("unusable digest").hasMessageContaining("sha256:abc");

            script(200, "{\"Descriptor\":{\"mediaType\":\"m\",\"digest\":\"" + DIGEST + "\",\"size\":-1}}");
            assertThat(catchThrowableOfType(DaemonException.class, () -> daemon().distribution(IMAGE, anonymous)))
                    .hasMessageContaining("non-negative Descriptor.size");
        }
    }

    @Test
    void aDaemonThatDoesNotAnswerInTimeIsAnError() throws IOException {
        script(200, "{\"Id\":\"sha256:x\"}");
        delayMillis = 3000;
        try (DockerHttpClient impatient = client(endpoint, Duration.ofMillis(500))) {
            long started = System.nanoTime();

            DaemonException failure = catchThrowableOfType(DaemonException.class,
                    () -> DockerDaemon.builder(impatient, endpoint).build().inspectImage(IMAGE));

            assertThat(failure).isNotNull();
            assertThat(failure.status()).isEmpty();
            assertThat(failure.getMessage()).contains("could not be reached", endpoint);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void anAbsentDaemonIsAnError() throws IOException {
        String nowhere = "tcp://127.0.0.1:" + FreePorts.next();
        try (DockerHttpClient client = client(nowhere, Duration.ofSeconds(2))) {
            DaemonException failure = catchThrowableOfType(DaemonException.class,
                    () -> DockerDaemon.builder(client, nowhere).build().inspectImage(IMAGE));

            assertThat(failure).isNotNull();
            assertThat(failure.status()).isEmpty();
            assertThat(failure.getMessage()).contains("inspect image " + IMAGE, nowhere, "could not be reached");
        }
    }

    @Test
    void aBadApiVersionIsRefusedUpFront() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> DockerDaemon.builder(http, endpoint).apiVersion("v1.41/../..")))
                .hasMessageContaining("1.41");
    }
}
