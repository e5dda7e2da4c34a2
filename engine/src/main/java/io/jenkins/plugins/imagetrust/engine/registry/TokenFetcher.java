package io.jenkins.plugins.imagetrust.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.http.HttpTransport;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gets a bearer token from the realm of a {@code Bearer} challenge: {@code GET realm?service=…&scope=…} with Basic
 * credentials or none, or, for an identity token, the OAuth2 {@code POST} with {@code grant_type=refresh_token}.
 * A registry bearer token is never sent here. Accepts {@code token} or {@code access_token}.
 */
final class TokenFetcher {
    /** Token answers are small; anything larger is refused. */
    static final long MAX_TOKEN_RESPONSE_BYTES = 256 * 1024;
    /** The distribution token spec's default and minimum lifetime. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMappers.lenient();
    private static final String CLIENT_ID = "image-trust";

    /** A token and how long it lives. */
    record Token(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "Token[****, " + lifetime + "]";
        }
    }

    private final HttpTransport transport;
    private final RetryPolicy retryPolicy;

    TokenFetcher(HttpTransport transport, RetryPolicy retryPolicy) {
        this.transport = transport;
        this.retryPolicy = retryPolicy;
    }

    Token fetch(CallContext context, AuthChallenge challenge, String scope, Optional<RegistryCredentials> credentials)
            throws RegistryException {
        String realmText = challenge.param("realm").filter(r -> !r.isBlank())
                .orElseThrow(() -> context.protocol("the Bearer challenge names no realm"));
        URI realm;
        try {
            realm = URI.create(realmText.strip());
        } catch (IllegalArgumentException e) {
            throw context.protocol("the token realm is not a valid URI");
        }
        if (!realm.isAbsolute() || realm.getHost() == null) {
            throw context.protocol("the token realm is not an absolute URL");
        }
        if (!transport.hosts().allows(realm)) {
            throw context.protocol("refusing to send credentials to the plain-HTTP token realm " + HttpTransport.origin(realm));
        }
        Map<String, String> params = new LinkedHashMap<>();
        challenge.param("service").ifPresent(service -> params.put("service", service));
        if (scope != null) {
            params.put("scope", scope);
        }
        HttpTransport.Outgoing request;
        byte[] form = null;
        if (credentials.isPresent() && credentials.get().kind() == RegistryCredentials.Kind.IDENTITY_TOKEN) {
            form = refreshTokenForm(params, credentials.get());
            request = new HttpTransport.Outgoing("POST", realm,
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                    form, MAX_TOKEN_RESPONSE_BYTES);
        } else {
            URI uri = realm;
            if (credentials.isPresent()) {
                params.put("account", credentials.get().username());
            }
            for (Map.Entry<String, String> param : params.entrySet()) {
                uri = RegistryPaths.withQueryParameter(uri, param.getKey(), encode(param.getValue()));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", "application/json");
            credentials.ifPresent(c -> headers.put("Authorization", c.basicAuthorization()));
            request = new HttpTransport.Outgoing("GET", uri, headers, null, MAX_TOKEN_RESPONSE_BYTES);
        }
        CallContext tokenContext = new CallContext(context.registry(), context.repository(), context.operation() + " (token)");
        try {
            HttpResult response = retryPolicy.run(tokenContext,
                    () -> RegistryEndpointCaller.sendOnce(transport, tokenContext, request, "the token response"));
            return parse(response, tokenContext, realm, credentials.isPresent());
        } finally {
            if (form != null) {
                Arrays.fill(form, (byte) 0);
            }
        }
    }

    private Token parse(HttpResult response, CallContext context, URI realm, boolean withCredentials)
            throws RegistryException {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new RegistryUnauthorizedException(context.registry(), context.repository(), context.operation(), status,
                    ErrorBodies.parse(response.body()), "the token service at " + HttpTransport.origin(realm)
                    + (withCredentials ? " refused the credentials" : " refused anonymous access"));
        }
        if (status != 200) {
            throw context.unexpected(response, "the token service at " + HttpTransport.origin(realm) + " gave no token");
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw context.protocol("the token response is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw context.protocol("the token response is not a JSON object");
        }
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw context.protocol("the token response holds no usable token");
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds < DEFAULT_LIFETIME.getSeconds() ? DEFAULT_LIFETIME : Duration.ofSeconds(seconds);
        return new Token(token, lifetime);
    }

    private static byte[] refreshTokenForm(Map<String, String> params, RegistryCredentials credentials) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=").append(CLIENT_ID);
        params.forEach((name, value) -> form.append('&').append(name).append('=').append(encode(value)));
        char[] secret = credentials.secret();
        try {
            form.append("&refresh_token=").append(encode(new String(secret)));
            byte[] bytes = form.toString().getBytes(StandardCharsets.UTF_8);
            form.setLength(0);
            return bytes;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
