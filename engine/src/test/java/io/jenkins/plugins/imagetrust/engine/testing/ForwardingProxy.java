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
 * A fault proxy on 127.0.0.1 in front of a real registry: every request is forwarded faithfully (upload
 * {@code Location}s rewritten to point back at the proxy) unless the {@link Fault} answers it itself. Faults are
 * scripted per test: swallow a manifest PUT, answer 412, overwrite a tag after answering, …
 */
public final class ForwardingProxy implements AutoCloseable {
    /** Answers a request itself (returning true), or lets it through (false). May call {@link #forward} itself. */
    @FunctionalInterface
    public interface Fault {
        boolean answer(ScriptedHttpServer.Request request, ScriptedHttpServer.Exchange exchange, ForwardingProxy proxy) throws Exception;
    }

    private final String upstreamHostPort;
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScriptedHttpServer server;

    private ForwardingProxy(String upstreamHostPort, Fault fault) throws IOException {
        this.upstreamHostPort = upstreamHostPort;
        this.server = ScriptedHttpServer.start((request, exchange) -> {
            if (!fault.answer(request, exchange, this)) {
                forward(request, exchange);
            }
        });
    }

    /** A proxy to {@code upstreamHostPort} ({@code 127.0.0.1:port}, plain HTTP). */
    public static ForwardingProxy start(String upstreamHostPort, Fault fault) throws IOException {
        return new ForwardingProxy(upstreamHostPort, fault);
    }

    /** {@code 127.0.0.1:<port>} of the proxy. */
    public String hostPort() {
        return server.hostPort();
    }

    /** Every request so far, in arrival order. */
    public List<ScriptedHttpServer.Request> requests() {
        return server.requests();
    }

    /** Exceptions the fault script threw: a test should assert none. */
    public List<Throwable> scriptFailures() {
        return server.scriptFailures();
    }

    /** Forwards one request to the registry and its answer back. */
    public void forward(ScriptedHttpServer.Request request, ScriptedHttpServer.Exchange exchange) throws Exception {
        relay(request, send(request), exchange);
    }

    /** Answers {@code request} with {@code response}, an answer of the registry's obtained through {@link #send}. */
    public void relay(ScriptedHttpServer.Request request, HttpResponse<byte[]> response, ScriptedHttpServer.Exchange exchange) throws IOException {
        List<String> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Set.of("content-length", "transfer-encoding", "connection", ":status").contains(lower)) {
                for (String value : values) {
                    headers.add(name);
                    headers.add(lower.equals("location") ? value.replace(upstreamHostPort, hostPort()) : value);
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

    /** Sends {@code request} to the registry as it came (auth, content type, accept and body kept). */
    public HttpResponse<byte[]> send(ScriptedHttpServer.Request request) throws IOException, InterruptedException {
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create("http://" + upstreamHostPort + request.target()))
                .timeout(Duration.ofSeconds(30));
        for (String name : List.of("authorization", "content-type", "accept")) {
            request.header(name).ifPresent(value -> out.header(name, value));
        }
        out.method(request.method(), request.body().length == 0 && !request.method().equals("PUT")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        return upstream.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
