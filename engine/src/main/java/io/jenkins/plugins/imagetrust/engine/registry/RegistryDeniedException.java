package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/** The registry knows who is asking but refuses the operation (HTTP 403, or the {@code DENIED} error code). */
public class RegistryDeniedException extends RegistryErrorException {
    private static final long serialVersionUID = 1L;

    public RegistryDeniedException(String registry, String repository, String operation, int statusCode,
            List<RegistryError> errors, String problem) {
        super(registry, repository, operation, statusCode, errors, problem);
    }
}
