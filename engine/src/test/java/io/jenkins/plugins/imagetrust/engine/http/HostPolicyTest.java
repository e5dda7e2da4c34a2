package io.jenkins.plugins.imagetrust.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which hosts get plain HTTP, the one loopback rule, same-origin: no network. */
class HostPolicyTest {
    @Test
    void plainHttpOnlyForLoopbackAndListedRegistries() {
        HostPolicy hosts = new HostPolicy(Set.of("registry.internal:5000", "Other.Internal"));

        assertThat(hosts.schemeFor(ImageReference.parse("127.0.0.1:5000/a"))).isEqualTo("http");
        assertThat(hosts.schemeFor(ImageReference.parse("localhost:5000/a"))).isEqualTo("http");
        assertThat(hosts.schemeFor(ImageReference.parse("[::1]:5000/a"))).isEqualTo("http");
        assertThat(hosts.schemeFor(ImageReference.parse("registry.internal:5000/a"))).isEqualTo("http");
        assertThat(hosts.schemeFor(ImageReference.parse("registry.internal:5001/a"))).isEqualTo("https");
        assertThat(hosts.schemeFor(ImageReference.parse("alpine"))).isEqualTo("https");
        assertThat(hosts.baseUri(ImageReference.parse("alpine"))).isEqualTo(URI.create("https://registry-1.docker.io"));
        assertThat(hosts.schemeFor(ImageReference.parse("localhost.example.com/a"))).isEqualTo("https");

        assertThat(hosts.allows(URI.create("https://anything.example/x"))).isTrue();
        assertThat(hosts.allows(URI.create("http://127.0.0.1:9/x"))).isTrue();
        assertThat(hosts.allows(URI.create("http://registry.internal:5000/x"))).isTrue();
        assertThat(hosts.allows(URI.create("http://other.internal/x"))).isTrue();
        assertThat(hosts.allows(URI.create("http://other.internal:8080/x"))).isFalse();
        assertThat(hosts.allows(URI.create("http://s3.example.com/bucket"))).isFalse();
        assertThat(hosts.allows(URI.create("ftp://127.0.0.1/x"))).isFalse();
    }

    @Test
    void sameOriginComparesSchemeHostAndEffectivePort() {
        assertThat(HostPolicy.sameOrigin(URI.create("https://r.example/v2/"), URI.create("https://R.example:443/x"))).isTrue();
        assertThat(HostPolicy.sameOrigin(URI.create("https://r.example/"), URI.create("http://r.example/"))).isFalse();
        assertThat(HostPolicy.sameOrigin(URI.create("http://127.0.0.1:1/"), URI.create("http://127.0.0.1:2/"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:5000/a, true", "localhost:5000/a, true", "127.8.9.1/a, true", "[::1]:5000/a, true",
        "10.0.0.1:5000/a, false", "registry.example.com/a, false", "localhost.example.com/a, false", "alpine, false"})
    void knowsLoopbackRegistries(String input, boolean loopback) {
        assertThat(HostPolicy.isLoopbackHost(ImageReference.parse(input).registryHostName())).isEqualTo(loopback);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "LOCALHOST, true", "::1, true", "[::1], true", "0:0:0:0:0:0:0:1, true",
        "10.0.0.1, false", "notary.example.com, false", "localhost.localdomain, false"})
    void knowsLoopbackHostsWithoutResolvingNames(String host, boolean loopback) {
        assertThat(HostPolicy.isLoopbackHost(host)).isEqualTo(loopback);
        assertThat(HostPolicy.isLoopbackHost(null)).isFalse();
    }
}
