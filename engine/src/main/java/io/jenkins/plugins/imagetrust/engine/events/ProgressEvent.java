package io.jenkins.plugins.imagetrust.engine.events;

import java.util.Objects;

/**
 * One thing the engine did or noticed, for a human to read. The CLI writes these to stderr, the plugin
 * to the build log. Messages never contain secrets.
 *
 * @param severity how prominent the line should be
 * @param operation a short stable name of the operation, e.g. {@code resolve}, {@code push-blob}, {@code sign}
 * @param message the human sentence
 */
public record ProgressEvent(Severity severity, String operation, String message) {
    public enum Severity {
        /** A step the user would want to see: resolved a digest, signed, verified. */
        INFO,
        /** Detail for --verbose: each request, each retry. */
        DEBUG,
        /** Something odd that did not stop the work: a retry, a fallback, a tag that moved. */
        WARNING
    }

    public ProgressEvent {
        Objects.requireNonNull(severity);
        Objects.requireNonNull(operation);
        Objects.requireNonNull(message);
    }

    public static ProgressEvent info(String operation, String message) {
        return new ProgressEvent(Severity.INFO, operation, message);
    }

    public static ProgressEvent debug(String operation, String message) {
        return new ProgressEvent(Severity.DEBUG, operation, message);
    }

    public static ProgressEvent warning(String operation, String message) {
        return new ProgressEvent(Severity.WARNING, operation, message);
    }
}
