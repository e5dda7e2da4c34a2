package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/**
 * The registry answered with an HTTP status the operation cannot use. Carries the status and the parsed OCI
 * error entries; subclasses name the common cases.
 */
public class RegistryErrorException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final List<RegistryError> errors;

    public RegistryErrorException(String registry, String repository, String operation, int statusCode,
            List<RegistryError> errors, String problem) {
        super(registry, repository, operation, describe(statusCode, errors, problem));
        this.statusCode = statusCode;
        this.errors = List.copyOf(errors);
    }

    private static String describe(int statusCode, List<RegistryError> errors, String problem) {
        StringBuilder text = new StringBuilder(problem).append(" (HTTP ").append(statusCode);
        for (RegistryError error : errors) {
            text.append("; ").append(error);
        }
        return text.append(')').toString();
    }

    /** The HTTP status the registry answered with. */
    public int statusCode() {
        return statusCode;
    }

    /** The OCI error entries of the response body; empty when it had none. */
    public List<RegistryError> errors() {
        return errors;
    }

    /** Whether one of the error entries has {@code code}. */
    public boolean hasErrorCode(String code) {
        return errors.stream().anyMatch(e -> e.code().equals(code));
    }
}
