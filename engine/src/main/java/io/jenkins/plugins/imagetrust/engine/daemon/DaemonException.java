package io.jenkins.plugins.imagetrust.engine.daemon;

import java.util.OptionalInt;

/**
 * A Docker daemon request that could not complete: the daemon was unreachable, answered with an error, or sent
 * something unreadable. Carries the daemon endpoint, the operation and the HTTP status (when there was one) so a
 * message always says where and what. Never carries registry credentials.
 */
public class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final String operation;
    private final int status;

    /**
     * @param endpoint where the daemon listens, e.g. {@code unix:///var/run/docker.sock}
     * @param operation what was attempted, e.g. {@code inspect image 127.0.0.1:5000/app:1}
     * @param status the HTTP status the daemon answered, or {@code -1} when it did not answer
     * @param problem what went wrong, for a human
     */
    public DaemonException(String endpoint, String operation, int status, String problem, Throwable cause) {
        super(operation + " on Docker daemon " + endpoint + ": " + problem, cause);
        this.endpoint = endpoint;
        this.operation = operation;
        this.status = status;
    }

    public DaemonException(String endpoint, String operation, int status, String problem) {
        this(endpoint, operation, status, problem, null);
    }

    /** Where the daemon listens. */
    public String endpoint() {
        return endpoint;
    }

    /** What was attempted. */
    public String operation() {
        return operation;
    }

    /** The HTTP status the daemon answered; empty when the request never got an answer. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
