package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/** The blob (or the repository) does not exist where an operation needs it (HTTP 404). */
public class BlobUnknownException extends RegistryErrorException {
    private static final long serialVersionUID = 1L;

    public BlobUnknownException(String registry, String repository, String operation, int statusCode,
            List<RegistryError> errors, String problem) {
        super(registry, repository, operation, statusCode, errors, problem);
    }
}
