package io.jenkins.plugins.imagetrust.engine.daemon;

/**
 * The daemon answered 404: it has no such local image ({@code inspect image}), or the registry has no such tag or
 * repository ({@code distribution}). The message carries the daemon's own explanation.
 */
public class DaemonNotFoundException extends DaemonException {
    private static final long serialVersionUID = 1L;

    public DaemonNotFoundException(String endpoint, String operation, String problem) {
        super(endpoint, operation, 404, problem);
    }
}
