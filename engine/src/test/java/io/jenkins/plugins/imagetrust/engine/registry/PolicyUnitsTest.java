package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.registry.auth.TokenCache;
import io.jenkins.plugins.imagetrust.engine.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Token expiry, query building: no network. */
class PolicyUnitsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

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
