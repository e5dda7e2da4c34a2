package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Retries with exponential backoff ({@code initial × 2^(n-1)}, capped), or the server's {@code Retry-After}
 * (seconds or an HTTP date; also capped) when it sent one. Only what the caller marks {@link Transient} is retried.
 */
final class RetryPolicy {
    /** A failure worth another attempt: 429/502/503/504 or a failed connection. */
    static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Optional<String> retryAfter;

        Transient(String problem, Optional<String> retryAfter, Throwable cause) {
            super(problem, cause);
            this.retryAfter = retryAfter;
        }

        Optional<String> retryAfter() {
            return retryAfter;
        }
    }

    /** One attempt of a retryable unit of work. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws RegistryException, Transient;
    }

    private final int retries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ProgressListener listener;

    RetryPolicy(int retries, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper, Clock clock, ProgressListener listener) {
        this.retries = retries;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
        this.clock = clock;
        this.listener = listener;
    }

    /** Runs {@code attempt} up to {@code 1 + retries} times. */
    <T> T run(CallContext context, Attempt<T> attempt) throws RegistryException {
        for (int number = 1; ; number++) {
            try {
                return attempt.run();
            } catch (Transient failure) {
                if (number > retries) {
                    throw new RegistryUnavailableException(context.registry(), context.repository(), context.operation(),
                            number, failure.getMessage(), failure.getCause());
                }
                Duration delay = delay(number, failure.retryAfter());
                listener.warning(context.operation(), context.registry() + ": " + failure.getMessage() + "; retry "
                        + number + " of " + retries + " in " + delay.toMillis() + " ms");
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException(context.registry(), context.repository(), context.operation(),
                            "interrupted while waiting to retry", e);
                }
            }
        }
    }

    /** Only one attempt: a transient failure is final at once. */
    <T> T once(CallContext context, Attempt<T> attempt) throws RegistryException {
        try {
            return attempt.run();
        } catch (Transient failure) {
            throw new RegistryUnavailableException(context.registry(), context.repository(), context.operation(), 1,
                    failure.getMessage(), failure.getCause());
        }
    }

    Duration delay(int attemptNumber, Optional<String> retryAfter) {
        Optional<Duration> asked = retryAfter.flatMap(this::parseRetryAfter);
        Duration delay = asked.orElseGet(() -> initialBackoff.multipliedBy(1L << Math.min(attemptNumber - 1, 20)));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** {@code Retry-After}: delta-seconds or an HTTP date; empty when unparseable. */
    Optional<Duration> parseRetryAfter(String value) {
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
