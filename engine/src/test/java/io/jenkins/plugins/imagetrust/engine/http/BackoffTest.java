package io.jenkins.plugins.imagetrust.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff and Retry-After: no network. */
class BackoffTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void backoffDoublesAndIsCappedRetryAfterWins() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(backoff.delay(1, Optional.empty())).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(3, Optional.empty())).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(4, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1, Optional.of("0"))).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay(1, Optional.of("nonsense"))).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.parseRetryAfter("Wed, 25 Nov 2026 10:00:05 GMT")).hasValue(Duration.ofSeconds(5));
        assertThat(backoff.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT")).hasValue(Duration.ZERO);
        assertThat(backoff.parseRetryAfter("-3")).isEmpty();
    }
}
