package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A scripted proxy on 127.0.0.1 in front of a real {@link RegistryFixture}: each request goes first to a fault script,
 * which may answer it (fail, reset, stall); every request it leaves alone is forwarded faithfully, upload
 * {@code Location}s pointed back at the proxy.
 */
public final class RegistryProxy implements AutoCloseable {
    /** Answers a request itself (returning true) or leaves it to be forwarded (false). */
    @FunctionalInterface
    public interface Faults {
        boolean intercept(ScriptedHttpServer.Request request, ScriptedHttpServer.Exchange exchange) throws Exception;
    }

    private final RegistryFixture registry;
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScriptedHttpServer server;

    private RegistryProxy(RegistryFixture registry, Faults faults) throws IOException {
        this.registry = registry;
        this.server = ScriptedHttpServer.start((request, exchange) -> {
            if (!faults.intercept(request, exchange)) {
                forward(request, exchange);
            }
        });
    }

    public static RegistryProxy start(RegistryFixture registry, Faults faults) throws IOException {
        return new RegistryProxy(registry, faults);
    }

    /** {@code 127.0.0.1:<port>} of the proxy. */
    public String hostPort() {
        return server.hostPort();
    }

    /** The proxy's own server (requests seen, script failures). */
    public ScriptedHttpServer server() {
        return server;
    }

    private void forward(ScriptedHttpServer.Request request, ScriptedHttpServer.Exchange exchange) throws Exception {
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(registry.url() + request.target())).timeout(Duration.ofSeconds(30));
        for (String name : List.of("authorization", "content-type", "accept")) {
            request.header(name).ifPresent(value -> out.header(name, value));
        }
        out.method(request.method(), request.body().length == 0 && !request.method().equals("PUT")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        HttpResponse<byte[]> response = upstream.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        List<String> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Set.of("content-length", "transfer-encoding", "connection", ":status").contains(lower)) {
                for (String value : values) {
                    headers.add(name);
                    headers.add(lower.equals("location") ? value.replace(registry.host(), server.hostPort()) : value);
                }
            }
        });
        if (request.method().equals("HEAD")) {
            long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
            exchange.respondHead(response.statusCode(), length, headers.toArray(String[]::new));
        } else {
            exchange.respond(response.statusCode(), response.body(), headers.toArray(String[]::new));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
