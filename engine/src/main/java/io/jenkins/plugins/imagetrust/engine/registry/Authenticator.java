package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import io.jenkins.plugins.imagetrust.engine.registry.auth.CredentialsException;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentialsProvider;
import io.jenkins.plugins.imagetrust.engine.registry.auth.TokenCache;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to put in {@code Authorization} for a registry: nothing until it challenges; then Basic from the
 * credentials, or a bearer token per (registry, scope) from the realm, cached until shortly before it expires.
 * Credentials are fetched per use and cleared right after.
 */
final class Authenticator {
    private static final String NO_SCOPE = "";

    private final RegistryCredentialsProvider credentials;
    private final TokenCache tokens;
    private final TokenFetcher fetcher;
    private final ConcurrentHashMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();

    Authenticator(RegistryCredentialsProvider credentials, TokenCache tokens, TokenFetcher fetcher) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.fetcher = fetcher;
    }

    /** The {@code Authorization} value for a call to {@code target}, or null to go anonymously. */
    String authorization(Target target, CallContext context) throws RegistryException {
        AuthChallenge challenge = challenges.get(target.registry());
        if (challenge == null) {
            return null;
        }
        if (challenge.isBearer()) {
            String scope = scopeFor(target, challenge);
            String key = scope == null ? NO_SCOPE : scope;
            Optional<String> cached = tokens.get(target.registry(), key);
            if (cached.isPresent()) {
                return "Bearer " + cached.get();
            }
            TokenFetcher.Token token;
            try (Held held = credentialsFor(target, context)) {
                token = fetcher.fetch(context, challenge, scope, held.value());
            }
            tokens.put(target.registry(), key, token.value(), token.lifetime());
            return "Bearer " + token.value();
        }
        if (challenge.isBasic()) {
            try (Held held = credentialsFor(target, context)) {
                Optional<RegistryCredentials> found = held.value();
                return found.isPresent() && found.get().kind() == RegistryCredentials.Kind.BASIC
                        ? found.get().basicAuthorization() : null;
            }
        }
        return null; // a scheme we do not speak: go anonymously and let the registry refuse
    }

    /**
     * Learns from a 401: remembers the registry's challenge (Bearer preferred over Basic) and forgets the token
     * that was refused, so that the next {@link #authorization} fetches a fresh one.
     */
    void onUnauthorized(Target target, List<AuthChallenge> offered, String refusedAuthorization) {
        Optional<AuthChallenge> chosen = offered.stream().filter(AuthChallenge::isBearer).findFirst()
                .or(() -> offered.stream().filter(AuthChallenge::isBasic).findFirst());
        chosen.ifPresent(challenge -> {
            AuthChallenge previous = challenges.put(target.registry(), challenge);
            if (refusedAuthorization != null && refusedAuthorization.startsWith("Bearer ") || previous != null
                    && previous.isBearer() && challenge.isBearer() && !previous.equals(challenge)) {
                String scope = scopeFor(target, challenge);
                tokens.invalidate(target.registry(), scope == null ? NO_SCOPE : scope);
            }
        });
    }

    /**
     * A bearer token from the token server {@code challenge} names, for another service that trusts it (a Notary
     * server behind the registry's token auth), with the credentials for {@code registry}. Cached apart from the
     * registry's own tokens, per realm and scope.
     */
    String bearerToken(String registry, AuthChallenge challenge, String scope, CallContext context) throws RegistryException {
        String key = serviceTokenKey(challenge, scope);
        Optional<String> cached = tokens.get(registry, key);
        if (cached.isPresent()) {
            return cached.get();
        }
        TokenFetcher.Token token;
        try (Held held = credentialsFor(new Target(registry, null, null, scope), context)) {
            token = fetcher.fetch(context, challenge, scope, held.value());
        }
        tokens.put(registry, key, token.value(), token.lifetime());
        return token.value();
    }

    /** Forgets a service token the service refused. */
    void invalidateBearerToken(String registry, AuthChallenge challenge, String scope) {
        tokens.invalidate(registry, serviceTokenKey(challenge, scope));
    }

    private static String serviceTokenKey(AuthChallenge challenge, String scope) {
        return "service " + challenge.param("realm").orElse("") + " " + challenge.param("service").orElse("") + " " + scope;
    }

    /** Our scope for the call; outside a repository, whatever scope the challenge asked for (if any). */
    private static String scopeFor(Target target, AuthChallenge challenge) {
        return target.scope() != null ? target.scope() : challenge.param("scope").orElse(null);
    }

    private Held credentialsFor(Target target, CallContext context) throws RegistryException {
        try {
            return new Held(credentials.credentialsFor(target.registry()));
        } catch (CredentialsException e) {
            throw new RegistryException(context.registry(), context.repository(), context.operation(),
                    "could not get credentials: " + e.getMessage(), e);
        }
    }

    /** Credentials cleared when the block ends. */
    private record Held(Optional<RegistryCredentials> value) implements AutoCloseable {
        @Override
        public void close() {
            value.ifPresent(RegistryCredentials::close);
        }
    }
}
