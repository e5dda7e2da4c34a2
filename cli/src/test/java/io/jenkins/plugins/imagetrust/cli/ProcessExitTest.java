package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stopping a JDK HttpClient's selector thread, as the CLI does before it exits. */
class ProcessExitTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theSelectorThreadOfAClientThatMadeARequestEnds() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        String selector = selectorThreadName(client);
        assertThat(ProcessExit.isHttpClientSelector(selector)).isTrue();
        assertThat(alive(selector)).as("the selector runs while the client lives").isTrue();

        // only this test's client: other tests' clients in this JVM keep working
        assertThat(ProcessExit.stopSelectors(selector::equals)).isEqualTo(1);

        // (the client is unusable afterwards: on JDK 17 a later send() waits for ever, so only at exit)
        assertThat(alive(selector)).as("the selector thread ended").isFalse();
    }

    @Test
    void otherThreadsAreNotSelectors() {
        assertThat(ProcessExit.isHttpClientSelector("main")).isFalse();
        assertThat(ProcessExit.isHttpClientSelector("HttpClient-3-Worker-0")).isFalse();
        assertThat(ProcessExit.isHttpClientSelector("image-trust-http-deadlines")).isFalse();
        assertThat(ProcessExit.stopSelectors(name -> false)).isZero();
    }

    /** The JDK's client prints as {@code …HttpClientImpl@hash(id)}; its selector thread is named after that id. */
    private static String selectorThreadName(HttpClient client) {
        Matcher id = Pattern.compile("\\((\\d+)\\)$").matcher(client.toString());
        assertThat(id.find()).as("client id in " + client).isTrue();
        return "HttpClient-" + id.group(1) + "-SelectorManager";
    }

    private static boolean alive(String threadName) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName) && t.isAlive());
    }
}
