package io.jenkins.plugins.imagetrust.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain HTTP through a client without TLS, HTTPS through the JDK's default TLS client built on first use. */
class HttpClientsTest {
    private HttpServer server;
    private URI plainUri;

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
        plainUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void plainHttpNeverBuildsTheTlsClient() throws Exception {
        HttpClients clients = HttpClients.byScheme(Duration.ofSeconds(5));
        HttpClient plain = clients.forUri(plainUri);
        assertThat(plain.send(HttpRequest.newBuilder(plainUri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        assertThat(plain.sslContext()).isInstanceOf(HttpClients.NoTlsContext.class);
        assertThat(plain.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(clients.tlsClientBuilt()).isFalse();
    }

    @Test
    void httpsGetsOneClientWithTheDefaultTlsContext() throws Exception {
        HttpClients clients = HttpClients.byScheme(Duration.ofSeconds(5));
        HttpClient tls = clients.forUri(URI.create("https://registry.example/v2/"));
        assertThat(clients.tlsClientBuilt()).isTrue();
        assertThat(tls.sslContext()).isSameAs(SSLContext.getDefault());
        assertThat(tls.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(clients.forUri(URI.create("HTTPS://other.example/v2/"))).isSameAs(tls);
        assertThat(clients.forUri(plainUri)).isNotSameAs(tls);
    }

    @Test
    void thePlainClientRefusesEveryTlsUse() {
        SSLContext none = new HttpClients.NoTlsContext();
        assertThatThrownBy(() -> none.createSSLEngine("registry.example", 443)).hasMessageContaining("plain HTTP only");
        assertThatThrownBy(none::getSocketFactory).hasMessageContaining("plain HTTP only");
        assertThatThrownBy(() -> none.init(null, null, null)).hasMessageContaining("plain HTTP only");
    }

    @Test
    void aSuppliedClientServesBothSchemesAndMustNotFollowRedirects() {
        HttpClient own = HttpClient.newBuilder().build();
        HttpClients clients = HttpClients.shared(own);
        assertThat(clients.forUri(plainUri)).isSameAs(own);
        assertThat(clients.forUri(URI.create("https://registry.example/v2/"))).isSameAs(own);
        assertThatThrownBy(() -> HttpClients.shared(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirects");
    }
}
