package io.jenkins.plugins.imagetrust.engine.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long to wait before another attempt: exponential backoff ({@code initial × 2^(n-1)}, capped), or the server's
 * {@code Retry-After} (seconds or an HTTP date; also capped) when it sent one. Which failures are worth another
 * attempt, and how many, is the caller's decision (the registry's {@code RetryPolicy}).
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Clock clock;

    public Backoff(Duration initial, Duration max, Clock clock) {
        this.initial = initial;
        this.max = max;
        this.clock = clock;
    }

    /** The pause before attempt {@code attemptNumber + 1}, given the failed attempt's {@code Retry-After}. */
    public Duration delay(int attemptNumber, Optional<String> retryAfter) {
        Optional<Duration> asked = retryAfter.flatMap(this::parseRetryAfter);
        Duration delay = asked.orElseGet(() -> initial.multipliedBy(1L << Math.min(attemptNumber - 1, 20)));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** {@code Retry-After}: delta-seconds or an HTTP date; empty when unparseable. */
    public Optional<Duration> parseRetryAfter(String value) {
        String text = value.strip();
        if (text.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(clock.instant(), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
