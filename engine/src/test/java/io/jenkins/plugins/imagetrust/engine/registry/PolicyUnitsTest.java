package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.registry.auth.TokenCache;
import io.jenkins.plugins.imagetrust.engine.testing.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff and Retry-After, token expiry, query building: no network. */
class PolicyUnitsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void backoffDoublesAndIsCappedRetryAfterWins() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1), d -> { },
                Clock.fixed(NOW, ZoneOffset.UTC), ProgressListener.NONE);

        assertThat(policy.delay(1, Optional.empty())).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delay(3, Optional.empty())).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delay(4, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(1, Optional.of("0"))).isEqualTo(Duration.ZERO);
        assertThat(policy.delay(1, Optional.of("nonsense"))).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.parseRetryAfter("Wed, 25 Nov 2026 10:00:05 GMT")).hasValue(Duration.ofSeconds(5));
        assertThat(policy.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT")).hasValue(Duration.ZERO);
        assertThat(policy.parseRetryAfter("-3")).isEmpty();
    }

    @Test
    void tokenCacheHonoursExpiryPerRegistryAndScope() {
        MutableClock clock = new MutableClock(NOW);
        TokenCache cache = new TokenCache(clock);
        cache.put("r", "repository:a:pull", "t1", Duration.ofSeconds(300));

        assertThat(cache.get("r", "repository:a:pull")).hasValue("t1");
        assertThat(cache.get("r", "repository:a:pull,push")).isEmpty();
        assertThat(cache.get("other", "repository:a:pull")).isEmpty();
        clock.set(NOW.plusSeconds(289));
        assertThat(cache.get("r", "repository:a:pull")).hasValue("t1");
        clock.set(NOW.plusSeconds(291)); // within the safety margin of the expiry
        assertThat(cache.get("r", "repository:a:pull")).isEmpty();
        cache.put("r", "s", "t2", Duration.ofSeconds(300));
        cache.invalidate("r", "s");
        assertThat(cache.get("r", "s")).isEmpty();
        assertThat(cache.toString()).doesNotContain("t1", "t2");
    }

    @Test
    void queryParameterIsAppendedWithTheRightSeparator() {
        assertThat(RegistryPaths.withQueryParameter(URI.create("http://h/v2/u/1"), "digest", "sha256:ab"))
                .hasToString("http://h/v2/u/1?digest=sha256:ab");
        assertThat(RegistryPaths.withQueryParameter(URI.create("http://h/v2/u/1?_state=x%3D"), "digest", "sha256:ab"))
                .hasToString("http://h/v2/u/1?_state=x%3D&digest=sha256:ab");
        assertThat(RegistryPaths.withQueryParameter(URI.create("http://h/u?"), "digest", "d")).hasToString("http://h/u?digest=d");
    }
}
