package io.jenkins.plugins.imagetrust.engine.registry;

/**
 * The registry could not be reached or kept answering "try later" (429, 502, 503, 504, connection failures)
 * until the retries ran out.
 */
public class RegistryUnavailableException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RegistryUnavailableException(String registry, String repository, String operation, int attempts, String problem,
            Throwable cause) {
        super(registry, repository, operation, problem + (attempts > 1 ? " (gave up after " + attempts + " attempts)" : ""),
                cause);
        this.attempts = attempts;
    }

    /** How many times the request was sent. */
    public int attempts() {
        return attempts;
    }
}
