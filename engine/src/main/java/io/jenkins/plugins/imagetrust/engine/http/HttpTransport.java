package io.jenkins.plugins.imagetrust.engine.http;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The transport policy, in one place, for the registry and the Notary server alike: which hosts get plain HTTP (and
 * HTTP/1.1 there, so the JDK sends no {@code Upgrade: h2c}), one deadline per exchange covering headers <em>and</em>
 * body (the JDK's request timeout stops at the headers), a cap on every body, and redirects followed by hand (at
 * most {@code maxRedirects} hops, no loops, no downgrade to a forbidden plain-HTTP target, {@code Authorization}
 * dropped on leaving the origin). Retries and authentication are the caller's business.
 */
public final class HttpTransport {
    /** The registry's redirect limit: blob downloads are redirected to storage, sometimes twice. */
    public static final int MAX_REDIRECTS = 5;
    /** Error bodies are read only for their message. */
    public static final long MAX_ERROR_BODY_BYTES = 16 * 1024;

    /** One request as the caller wants it sent. {@code body} may be null; header order is kept. */
    public record Outgoing(String method, URI uri, Map<String, String> headers, byte[] body, long maxBodyBytes) {
        public Outgoing {
            headers = new LinkedHashMap<>(headers);
        }
    }

    /** Fires every exchange's deadline: one daemon thread for all clients, asleep until a deadline passes. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    private final HttpClients clients;
    private final HostPolicy hosts;
    private final Duration requestTimeout;
    private final int maxRedirects;
    private final ProgressListener listener;

    /** @param maxRedirects how many redirects one request may follow; with 0 a redirect is returned as the response */
    public HttpTransport(HttpClients clients, HostPolicy hosts, Duration requestTimeout, int maxRedirects,
            ProgressListener listener) {
        this.clients = clients;
        this.hosts = hosts;
        this.requestTimeout = requestTimeout;
        this.maxRedirects = maxRedirects;
        this.listener = listener;
    }

    /** This transport reporting to {@code listener}, over the same clients (their TLS set-up, kept-alive connections). */
    public HttpTransport withListener(ProgressListener listener) {
        return new HttpTransport(clients, hosts, requestTimeout, maxRedirects, listener);
    }

    public HostPolicy hosts() {
        return hosts;
    }

    /** The deadline of one exchange, headers and body. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Sends {@code request}, following redirects; a response of any status, or a failure saying why there is none. */
    public HttpResult send(String operation, Outgoing request) throws TransportFailure, InterruptedException {
        String method = request.method();
        URI uri = request.uri();
        byte[] body = request.body();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        Set<URI> visited = new HashSet<>();
        visited.add(uri);
        for (int hop = 0; ; hop++) {
            if (!hosts.allows(uri)) {
                throw new TransportFailure(TransportFailure.Kind.REFUSED, "refusing plain HTTP to " + origin(uri)
                        + " (only loopback and insecure-listed registries may use http)", null);
            }
            HttpResult response = exchange(method, uri, headers, body, request.maxBodyBytes());
            listener.debug(operation, method + " " + printable(uri) + " -> " + response.statusCode());
            int status = response.statusCode();
            if (!isRedirect(status) || maxRedirects == 0) {
                return response;
            }
            String location = response.header("Location").orElseThrow(() -> new TransportFailure(
                    TransportFailure.Kind.REFUSED, "HTTP " + status + " redirect without a Location header", null));
            URI next;
            try {
                next = uri.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new TransportFailure(TransportFailure.Kind.REFUSED, "redirect to a malformed Location", e);
            }
            if (hop + 1 > maxRedirects) {
                throw new TransportFailure(TransportFailure.Kind.REFUSED, "more than " + maxRedirects + " redirects", null);
            }
            if (!visited.add(next)) {
                throw new TransportFailure(TransportFailure.Kind.REFUSED, "redirect loop at " + printable(next), null);
            }
            if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new TransportFailure(TransportFailure.Kind.REFUSED, "refusing a redirect from HTTPS to "
                        + origin(next), null);
            }
            if (!HostPolicy.sameOrigin(uri, next)) {
                headers.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization"));
            }
            if (status == 303 && !method.equals("HEAD")) {
                method = "GET";
                body = null;
            }
            uri = next;
        }
    }

    private HttpResult exchange(String method, URI uri, Map<String, String> headers, byte[] body, long maxBodyBytes)
            throws TransportFailure, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(builder::header);
        AtomicReference<CappedBodySubscriber> subscriber = new AtomicReference<>();
        AtomicBoolean expired = new AtomicBoolean();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
            // a HEAD answer declares the size of the body it does not send: never hold that against the cap
            long declared = method.equals("HEAD") ? -1 : info.headers().firstValueAsLong("Content-Length").orElse(-1);
            CappedBodySubscriber s = new CappedBodySubscriber(success ? maxBodyBytes : MAX_ERROR_BODY_BYTES, !success, declared);
            subscriber.set(s);
            if (expired.get()) {
                s.expire();
            }
            return s;
        };
        // The JDK's timeout ends at the headers; this deadline fails the body too. send() rather than sendAsync()
        // because sendAsync() hands every completed response to another thread, which costs each request a wake-up.
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            CappedBodySubscriber s = subscriber.get();
            if (s != null) {
                s.expire();
            }
        }, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            HttpResponse<byte[]> response = clients.forUri(uri).send(builder.build(), handler);
            return new HttpResult(response.statusCode(), response.headers(), response.body(), uri, subscriber.get().truncated());
        } catch (InterruptedException e) {
            abort(subscriber);
            throw e;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            abort(subscriber);
            throw classify(e, uri);
        } finally {
            deadline.cancel(false);
        }
    }

    private static void abort(AtomicReference<CappedBodySubscriber> subscriber) {
        CappedBodySubscriber s = subscriber.get();
        if (s != null) {
            s.cancel();
        }
    }

    /** The JDK rethrows a body's failure wrapped in a plain IOException: find ours in the chain. */
    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private TransportFailure classify(Throwable cause, URI uri) {
        CappedRead.TooLargeException tooLarge = find(cause, CappedRead.TooLargeException.class);
        if (tooLarge != null) {
            return new TransportFailure(TransportFailure.Kind.TOO_LARGE, tooLarge.getMessage(), tooLarge, tooLarge.cap());
        }
        if (find(cause, CappedBodySubscriber.DeadlineExceededException.class) != null) {
            return new TransportFailure(TransportFailure.Kind.TIMEOUT, "no complete response from " + origin(uri)
                    + " within " + requestTimeout, cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new TransportFailure(TransportFailure.Kind.TIMEOUT, "could not connect to " + origin(uri)
                    + " within the connect timeout", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new TransportFailure(TransportFailure.Kind.TIMEOUT, "no response headers from " + origin(uri)
                    + " within " + requestTimeout, cause);
        }
        javax.net.ssl.SSLException tls = find(cause, javax.net.ssl.SSLException.class);
        if (tls != null) {
            return new TransportFailure(TransportFailure.Kind.TLS, "TLS with " + origin(uri) + " failed: " + describeTls(tls), cause);
        }
        if (cause instanceof IOException) {
            return new TransportFailure(TransportFailure.Kind.CONNECTION, "connection to " + origin(uri) + " failed: "
                    + describe(cause), cause);
        }
        return new TransportFailure(TransportFailure.Kind.CONNECTION, "request to " + origin(uri) + " failed: "
                + describe(cause), cause);
    }

    /** The failure in words: what a person can act on, not the JDK's exception class. */
    public static String describe(Throwable cause) {
        if (find(cause, java.net.ConnectException.class) != null) {
            return "connection refused (nothing listening there, or a firewall)";
        }
        if (find(cause, java.nio.channels.UnresolvedAddressException.class) != null || find(cause, java.net.UnknownHostException.class) != null) {
            return "unknown host";
        }
        if (find(cause, java.nio.channels.ClosedChannelException.class) != null || find(cause, java.io.EOFException.class) != null) {
            return "the connection was closed before a response";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** A certificate problem said as one: the JDK's PKIX text names neither the host nor what to do. */
    private static String describeTls(javax.net.ssl.SSLException tls) {
        String message = tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage();
        if (find(tls, java.security.cert.CertificateException.class) != null || message.contains("PKIX")
                || message.contains("certification path")) {
            return "its certificate is not trusted (" + message + ")";
        }
        return message;
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "image-trust-http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a finished exchange's deadline leaves the queue at once
        return timer;
    }

    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** {@code scheme://host[:port]}: never the user-info part a Location or realm might carry. */
    public static String origin(URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        return uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The URI without its query: upload-session state and token scopes stay out of the log. */
    public static String printable(URI uri) {
        return origin(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
