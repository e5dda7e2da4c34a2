package io.jenkins.plugins.imagetrust.engine.http;

import java.time.Duration;

/** Waits between retries (and wherever the engine pauses on purpose). Injected so that tests record the pauses instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** Really sleeps. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
