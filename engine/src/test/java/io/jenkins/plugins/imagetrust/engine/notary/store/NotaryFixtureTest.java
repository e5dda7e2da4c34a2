package io.jenkins.plugins.imagetrust.engine.notary.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotaryFixtureTest {
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();

    @Test
    void serverAnswersOverTlsAndCreatesServerKeysThroughTheSigner() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(notary.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(notary.url() + "/_notary_server/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> key = client.send(HttpRequest.newBuilder(URI.create(notary.url() + "/v2/127.0.0.1:5000/fixture/app/_trust/tuf/timestamp.key")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(key.statusCode()).as(notary.serverLog()).isEqualTo(200);
        assertThat(key.body()).startsWith("{\"keytype\":\"ecdsa\",\"keyval\":{\"public\":\"");
    }
}
