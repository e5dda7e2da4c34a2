package io.jenkins.plugins.imagetrust.engine.registry;

/** Connecting, or receiving the headers or the body, took longer than the configured timeout. Not retried. */
public class RegistryTimeoutException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryTimeoutException(String registry, String repository, String operation, String problem, Throwable cause) {
        super(registry, repository, operation, problem, cause);
    }
}
