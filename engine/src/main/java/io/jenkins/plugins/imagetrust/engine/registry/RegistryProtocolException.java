package io.jenkins.plugins.imagetrust.engine.registry;

/**
 * The registry answered something this client refuses to follow: a malformed header or body, a redirect loop or
 * too many redirects, a downgrade to plain HTTP, a pagination link to another origin.
 */
public class RegistryProtocolException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryProtocolException(String registry, String repository, String operation, String problem) {
        super(registry, repository, operation, problem);
    }

    public RegistryProtocolException(String registry, String repository, String operation, String problem, Throwable cause) {
        super(registry, repository, operation, problem, cause);
    }
}
