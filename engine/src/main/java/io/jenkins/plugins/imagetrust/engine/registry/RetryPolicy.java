package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.Backoff;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Retries registry calls, pausing as {@link Backoff} says (exponential, or the server's {@code Retry-After}). Only
 * what the caller marks {@link Transient} is retried; the last failure becomes a {@link RegistryUnavailableException}.
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
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final ProgressListener listener;

    RetryPolicy(int retries, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper, Clock clock, ProgressListener listener) {
        this.retries = retries;
        this.backoff = new Backoff(initialBackoff, maxBackoff, clock);
        this.sleeper = sleeper;
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
                Duration delay = backoff.delay(number, failure.retryAfter());
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
}
