package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/**
 * A conditional manifest {@code PUT} ({@code If-Match}) was refused with 412 Precondition Failed: the tag changed
 * since it was read, and the registry stored nothing. The writer reads the tag again and merges; nothing is lost.
 */
public class ManifestConflictException extends RegistryErrorException {
    private static final long serialVersionUID = 1L;

    public ManifestConflictException(String registry, String repository, String operation, int statusCode,
            List<RegistryError> errors, String problem) {
        super(registry, repository, operation, statusCode, errors, problem);
    }
}
