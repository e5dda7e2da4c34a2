package io.jenkins.plugins.imagetrust.engine.notary.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataTooLargeException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServerException;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Notary server's HTTP API ({@code /v2/<gun>/_trust/tuf/…}) over {@code java.net.http}: metadata by role
 * or checksum, the server-held {@code timestamp.key}/{@code snapshot.key}, and the atomic multipart publish.
 * HTTPS is required (plain HTTP only to a loopback address, for tests); the server certificate is checked
 * against the configured CA, or the JDK's trust store if none is configured. Every call has a timeout and
 * every body read is capped. Status codes map to typed errors: 404 → {@link MetadataNotFoundException},
 * anything else → {@link NotaryServerException} with the server's error code and detail.
 */
public final class NotaryClient implements MetadataFetcher {
    private static final long MAX_KEY_BYTES = 64 * 1024;
    private static final long MAX_ERROR_BYTES = 64 * 1024;
    /** The actions notary-server's token auth asks for: metadata reads, and uploads or server-key reads. */
    private static final String PULL = "pull";
    private static final String PUSH_PULL = "push,pull";

    private final URI serverUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ProgressListener listener;
    private final NotaryAuthorization authorization;
    /** The Authorization value last accepted per gun and actions, sent up front on later calls. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> authorizations = new java.util.concurrent.ConcurrentHashMap<>();

    private NotaryClient(Builder builder) {
        this.serverUrl = checkServerUrl(Objects.requireNonNull(builder.serverUrl, "a Notary server URL is required"));
        this.requestTimeout = builder.requestTimeout;
        this.listener = builder.listener;
        this.authorization = builder.authorization;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (builder.trustedCaPem != null) {
            http.sslContext(sslContextTrusting(builder.trustedCaPem));
        }
        this.http = http.build();
    }

    private NotaryClient(NotaryClient shared, ProgressListener listener) {
        this.serverUrl = shared.serverUrl;
        this.requestTimeout = shared.requestTimeout;
        this.listener = Objects.requireNonNull(listener);
        this.authorization = shared.authorization;
        this.http = shared.http;
    }

    /**
     * This client reporting to {@code listener}, over the same HTTP client: its TLS context (the CA parsed and the
     * trust manager built once) and its kept-alive connections are shared, which a new client would build again.
     */
    public NotaryClient withListener(ProgressListener listener) {
        return new NotaryClient(this, listener);
    }

    public static Builder builder(String serverUrl) {
        return new Builder(URI.create(serverUrl));
    }

    private static URI checkServerUrl(URI url) {
        String scheme = url.getScheme();
        if (url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null
                || (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("a Notary server URL is https://host[:port], not '" + url + "'");
        }
        if ("https".equals(scheme)) {
            return url;
        }
        if ("http".equals(scheme) && isLoopback(url.getHost())) {
            return url;
        }
        throw new IllegalArgumentException("the Notary server must be reached over https (plain http only on loopback): '" + url + "'");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static SSLContext sslContextTrusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException("the trusted CA PEM holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the trusted CA PEM cannot be used: " + e.getMessage(), e);
        }
    }

    public URI serverUrl() {
        return serverUrl;
    }

    private URI tufUri(String gun, String file) {
        MetadataNames.checkGun(gun);
        return serverUrl.resolve("/v2/" + gun + "/_trust/tuf/" + file);
    }

    @Override
    public byte[] fetch(String gun, String name, long maxBytes) throws NotaryException {
        MetadataNames.checkName(name);
        String operation = "GET " + name + ".json of " + gun;
        HttpResponse<CappedBody> response = send(HttpRequest.newBuilder(tufUri(gun, name + ".json")).GET(), gun, PULL, operation, maxBytes);
        if (response.statusCode() == 404) {
            throw new MetadataNotFoundException(gun, name);
        }
        return okBody(response, MetadataNames.roleOf(name), maxBytes, operation);
    }

    /** The server-held public key of {@code timestamp} or {@code snapshot}; the server creates it on first request. */
    public TufKey serverKey(String gun, String role) throws NotaryException {
        if (!RoleNames.TIMESTAMP.equals(role) && !RoleNames.SNAPSHOT.equals(role)) {
            throw new IllegalArgumentException("only timestamp and snapshot keys are held by the server, not " + role);
        }
        String operation = "GET " + role + ".key of " + gun;
        HttpResponse<CappedBody> response = send(HttpRequest.newBuilder(tufUri(gun, role + ".key")).GET(), gun, PUSH_PULL, operation, MAX_KEY_BYTES);
        byte[] body = okBody(response, role + ".key", MAX_KEY_BYTES, operation);
        try {
            return TufKey.fromJson(CanonicalJson.parse(body), role + ".key");
        } catch (IOException e) {
            throw new MalformedMetadataException(role + ".key", "the server's key response is not JSON");
        }
    }

    /**
     * Publishes metadata files atomically: the server validates the whole set against its current state and
     * either stores all of them (and re-signs snapshot and timestamp) or none.
     *
     * @throws NotaryServerException with the server's code ({@code INVALID_UPDATE}, {@code VERSION}…) and detail
     */
    public void publish(String gun, List<Multipart.Part> parts) throws NotaryException {
        String boundary = Multipart.newBoundary();
        byte[] body = Multipart.write(boundary, parts);
        List<String> roles = parts.stream().map(Multipart.Part::filename).toList();
        String operation = "publish " + roles + " to " + gun;
        HttpResponse<CappedBody> response = send(HttpRequest.newBuilder(tufUri(gun, ""))
                .header("Content-Type", Multipart.contentType(boundary))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), gun, PUSH_PULL, operation, MAX_ERROR_BYTES);
        okBody(response, "publish", MAX_ERROR_BYTES, operation);
        listener.info("notary-publish", "published " + roles + " for " + gun);
    }

    /**
     * Sends, answering one {@code 401} through the configured {@link NotaryAuthorization} (as docker does with the
     * registry's token server) and retrying once with its answer.
     */
    private HttpResponse<CappedBody> send(HttpRequest.Builder request, String gun, String actions, String operation, long maxBytes)
            throws NotaryException {
        String key = gun + " " + actions;
        String known = authorizations.get(key);
        HttpResponse<CappedBody> response = sendOnce(withAuthorization(request, known), operation, maxBytes);
        if (response.statusCode() != 401 || authorization == null) {
            return response;
        }
        List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
        Optional<String> answer = authorization.authorize(challenges, gun, actions, known != null);
        if (answer.isEmpty()) {
            return response;
        }
        HttpResponse<CappedBody> retried = sendOnce(withAuthorization(request, answer.get()), operation, maxBytes);
        if (retried.statusCode() != 401) {
            authorizations.put(key, answer.get());
        } else {
            authorizations.remove(key);
        }
        return retried;
    }

    private static HttpRequest.Builder withAuthorization(HttpRequest.Builder request, String value) {
        HttpRequest.Builder copy = request.copy();
        if (value != null) {
            copy.setHeader("Authorization", value);
        }
        return copy;
    }

    /** Sends with one deadline for the whole exchange, body included; bodies are capped while they arrive. */
    private HttpResponse<CappedBody> sendOnce(HttpRequest.Builder request, String operation, long maxBytes) throws NotaryServerException {
        HttpRequest built = request.timeout(requestTimeout).build();
        listener.debug("notary-http", built.method() + " " + built.uri());
        CompletableFuture<HttpResponse<CappedBody>> future =
                http.sendAsync(built, CappedBody.handler(status -> status == 200 ? maxBytes : MAX_ERROR_BYTES));
        try {
            return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new NotaryServerException(operation, "no complete answer from " + serverUrl + " within " + requestTimeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new NotaryServerException(operation, "no answer from " + serverUrl + " within " + requestTimeout.toSeconds() + " s", cause);
            }
            if (cause instanceof SSLException) {
                throw new NotaryServerException(operation, "TLS with " + serverUrl + " failed (" + cause.getMessage() + ")", cause);
            }
            throw new NotaryServerException(operation, "cannot reach " + serverUrl + " (" + cause + ")", cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new NotaryServerException(operation, "interrupted", e);
        }
    }

    /** The body of a 200 response, or the typed error for any other status. */
    private static byte[] okBody(HttpResponse<CappedBody> response, String role, long maxBytes, String operation) throws NotaryException {
        int status = response.statusCode();
        if (status != 200) {
            throw serverError(operation, status, response.body());
        }
        if (response.body().truncated()) {
            throw new MetadataTooLargeException(role, maxBytes);
        }
        return response.body().bytes();
    }

    /** notary's error body: {@code {"errors":[{"code":…,"message":…,"detail":…}]}}. */
    private static NotaryServerException serverError(String operation, int status, CappedBody body) {
        String code = null;
        String detail = body.truncated() ? "(error body too large)" : "";
        try {
            JsonNode first = body.truncated() ? null : CanonicalJson.parse(body.bytes()).path("errors").path(0);
            if (first != null && first.isObject()) {
                code = first.path("code").isTextual() ? first.path("code").textValue() : null;
                detail = first.path("message").asText("");
                JsonNode detailNode = first.path("detail");
                if (!detailNode.isMissingNode() && !detailNode.isNull() && !(detailNode.isObject() && detailNode.isEmpty())) {
                    detail = detail + " " + (detailNode.isTextual() ? detailNode.textValue() : detailNode.toString());
                }
            }
        } catch (IOException e) {
            detail = "(no readable error body)";
        }
        return new NotaryServerException(operation, status, code, detail.trim());
    }

    /** Configures a {@link NotaryClient}. */
    public static final class Builder {
        private final URI serverUrl;
        private String trustedCaPem;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private ProgressListener listener = ProgressListener.NONE;
        private NotaryAuthorization authorization;

        private Builder(URI serverUrl) {
            this.serverUrl = serverUrl;
        }

        /** PEM certificate(s) of the CA(s) that may sign the server's certificate, instead of the JDK's trust store. */
        public Builder trustedCaPem(String pem) {
            this.trustedCaPem = pem;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The longest wait for a whole response. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How to answer the server's {@code 401} (token auth); none: a 401 is an error. */
        public Builder authorization(NotaryAuthorization value) {
            this.authorization = value;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public NotaryClient build() {
            return new NotaryClient(this);
        }
    }
}
