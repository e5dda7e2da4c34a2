package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/** The registry (or its token service) did not accept the credentials, or none were given where they are needed (HTTP 401). */
public class RegistryUnauthorizedException extends RegistryErrorException {
    private static final long serialVersionUID = 1L;

    public RegistryUnauthorizedException(String registry, String repository, String operation, int statusCode,
            List<RegistryError> errors, String problem) {
        super(registry, repository, operation, statusCode, errors, problem);
    }
}
