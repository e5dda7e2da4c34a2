package io.jenkins.plugins.imagetrust.engine.notary.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.HostPolicy;
import io.jenkins.plugins.imagetrust.engine.http.HttpClients;
import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.http.HttpTransport;
import io.jenkins.plugins.imagetrust.engine.http.TransportFailure;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataTooLargeException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServerException;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Notary server's HTTP API ({@code /v2/<gun>/_trust/tuf/…}) over the engine's {@link HttpTransport}: metadata by
 * role or checksum, the server-held {@code timestamp.key}/{@code snapshot.key}, and the atomic multipart publish.
 * HTTPS is required (plain HTTP only to a loopback host, {@link HostPolicy#isLoopbackHost}); the server certificate
 * is checked against the configured CA, or the JDK's trust store if none is configured. The transport's rules apply:
 * one deadline per exchange (body included), every body capped, redirects not followed (the server never sends one;
 * a 3xx is an error). Status codes map to typed errors: 404 → {@link MetadataNotFoundException}, anything else →
 * {@link NotaryServerException} with the server's error code and detail.
 */
public final class NotaryClient implements MetadataFetcher {
    private static final long MAX_KEY_BYTES = 64 * 1024;
    /** A publish is answered with an empty body (or an error, which the transport caps at its own limit). */
    private static final long MAX_PUBLISH_ANSWER_BYTES = 64 * 1024;
    /** The actions notary-server's token auth asks for: metadata reads, and uploads or server-key reads. */
    private static final String PULL = "pull";
    private static final String PUSH_PULL = "push,pull";

    private final URI serverUrl;
    private final HttpTransport transport;
    private final ProgressListener listener;
    private final NotaryAuthorization authorization;
    /** The Authorization value last accepted per gun and actions, sent up front on later calls. */
    private final ConcurrentHashMap<String, String> authorizations = new ConcurrentHashMap<>();

    private NotaryClient(Builder builder) {
        this.serverUrl = checkServerUrl(Objects.requireNonNull(builder.serverUrl, "a Notary server URL is required"));
        this.listener = builder.listener;
        this.authorization = builder.authorization;
        HttpClients clients = HttpClients.byScheme(builder.connectTimeout,
                builder.trustedCaPem == null ? null : HttpClients.trusting(builder.trustedCaPem));
        this.transport = new HttpTransport(clients, HostPolicy.LOOPBACK_ONLY, builder.requestTimeout, 0, listener);
    }

    private NotaryClient(NotaryClient shared, ProgressListener listener) {
        this.serverUrl = shared.serverUrl;
        this.listener = Objects.requireNonNull(listener);
        this.authorization = shared.authorization;
        this.transport = shared.transport.withListener(listener);
    }

    /**
     * This client reporting to {@code listener}, over the same HTTP clients: their TLS context (the CA parsed and the
     * trust manager built once) and their kept-alive connections are shared, which a new client would build again.
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
        if ("http".equals(scheme) && HostPolicy.isLoopbackHost(url.getHost())) {
            return url;
        }
        throw new IllegalArgumentException("the Notary server must be reached over https (plain http only on loopback): '" + url + "'");
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
        String role = MetadataNames.roleOf(name);
        HttpResult response = send("GET", tufUri(gun, name + ".json"), Map.of(), null, gun, PULL, operation, role, maxBytes);
        if (response.statusCode() == 404) {
            throw new MetadataNotFoundException(gun, name);
        }
        return okBody(response, operation);
    }

    /** The server-held public key of {@code timestamp} or {@code snapshot}; the server creates it on first request. */
    public TufKey serverKey(String gun, String role) throws NotaryException {
        if (!RoleNames.TIMESTAMP.equals(role) && !RoleNames.SNAPSHOT.equals(role)) {
            throw new IllegalArgumentException("only timestamp and snapshot keys are held by the server, not " + role);
        }
        String operation = "GET " + role + ".key of " + gun;
        HttpResult response = send("GET", tufUri(gun, role + ".key"), Map.of(), null, gun, PUSH_PULL, operation, role + ".key",
                MAX_KEY_BYTES);
        byte[] body = okBody(response, operation);
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
        HttpResult response = send("POST", tufUri(gun, ""), Map.of("Content-Type", Multipart.contentType(boundary)), body, gun,
                PUSH_PULL, operation, "publish", MAX_PUBLISH_ANSWER_BYTES);
        okBody(response, operation);
        listener.info("notary-publish", "published " + roles + " for " + gun);
    }

    /**
     * Sends, answering one {@code 401} through the configured {@link NotaryAuthorization} (as docker does with the
     * registry's token server) and retrying once with its answer. {@code role} names the document in a size error.
     */
    private HttpResult send(String method, URI uri, Map<String, String> headers, byte[] body, String gun, String actions,
            String operation, String role, long maxBytes) throws NotaryException {
        String key = gun + " " + actions;
        String known = authorizations.get(key);
        HttpResult response = sendOnce(method, uri, withAuthorization(headers, known), body, operation, role, maxBytes);
        if (response.statusCode() != 401 || authorization == null) {
            return response;
        }
        List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
        Optional<String> answer = authorization.authorize(challenges, gun, actions, known != null);
        if (answer.isEmpty()) {
            return response;
        }
        HttpResult retried = sendOnce(method, uri, withAuthorization(headers, answer.get()), body, operation, role, maxBytes);
        if (retried.statusCode() != 401) {
            authorizations.put(key, answer.get());
        } else {
            authorizations.remove(key);
        }
        return retried;
    }

    private static Map<String, String> withAuthorization(Map<String, String> headers, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        if (value != null) {
            copy.put("Authorization", value);
        }
        return copy;
    }

    /** One exchange through the transport; its failures said as the Notary client has always said them. */
    private HttpResult sendOnce(String method, URI uri, Map<String, String> headers, byte[] body, String operation,
            String role, long maxBytes) throws NotaryException {
        try {
            return transport.send("notary-http", new HttpTransport.Outgoing(method, uri, headers, body, maxBytes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotaryServerException(operation, "interrupted", e);
        } catch (TransportFailure failure) {
            switch (failure.kind()) {
                case TOO_LARGE:
                    throw new MetadataTooLargeException(role, maxBytes);
                case TIMEOUT:
                    throw new NotaryServerException(operation, "no complete answer from " + serverUrl + " within "
                            + transport.requestTimeout().toSeconds() + " s", failure);
                case CONNECTION:
                    throw new NotaryServerException(operation, "cannot reach " + serverUrl + " ("
                            + HttpTransport.describe(failure.getCause()) + ")", failure);
                default:
                    throw new NotaryServerException(operation, failure.getMessage(), failure);
            }
        }
    }

    /** The body of a 200 response, or the typed error for any other status. */
    private static byte[] okBody(HttpResult response, String operation) throws NotaryException {
        if (response.statusCode() != 200) {
            throw serverError(operation, response);
        }
        return response.body();
    }

    /** notary's error body: {@code {"errors":[{"code":…,"message":…,"detail":…}]}}. */
    private static NotaryServerException serverError(String operation, HttpResult response) {
        String code = null;
        String detail = response.truncated() ? "(error body too large)" : "";
        try {
            JsonNode first = response.truncated() ? null : CanonicalJson.parse(response.body()).path("errors").path(0);
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
        return new NotaryServerException(operation, response.statusCode(), code, detail.trim());
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
