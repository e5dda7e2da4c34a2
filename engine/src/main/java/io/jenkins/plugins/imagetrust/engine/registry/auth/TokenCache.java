package io.jenkins.plugins.imagetrust.engine.registry.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens per (registry, scope), kept until shortly before they expire. Thread-safe. The clock is injected so
 * expiry is testable.
 */
public final class TokenCache {
    /** Tokens are dropped this long before their expiry so that none expires in flight. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

    private record Key(String registry, String scope) {
    }

    private record Entry(String token, Instant expiresAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> tokens = new ConcurrentHashMap<>();

    public TokenCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The cached token, unless it is missing or (nearly) expired. */
    public Optional<String> get(String registry, String scope) {
        Key key = new Key(registry, scope);
        Entry entry = tokens.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().plus(EXPIRY_MARGIN).isBefore(entry.expiresAt())) {
            tokens.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    /** Caches {@code token} until {@code expiresIn} from now. */
    public void put(String registry, String scope, String token, Duration expiresIn) {
        tokens.put(new Key(registry, scope), new Entry(token, clock.instant().plus(expiresIn)));
    }

    /** Forgets the token the registry just refused. */
    public void invalidate(String registry, String scope) {
        tokens.remove(new Key(registry, scope));
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "TokenCache[" + tokens.size() + " tokens]";
    }
}
