package io.jenkins.plugins.imagetrust.engine.registry;

/**
 * A registry operation that could not complete. Carries the registry, repository and operation so that a
 * message always says where and what; subclasses say why. Never carries a credential.
 */
public class RegistryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String registry;
    private final String repository;
    private final String operation;

    public RegistryException(String registry, String repository, String operation, String problem, Throwable cause) {
        super(operation + " " + registry + (repository == null ? "" : "/" + repository) + ": " + problem, cause);
        this.registry = registry;
        this.repository = repository;
        this.operation = operation;
    }

    public RegistryException(String registry, String repository, String operation, String problem) {
        this(registry, repository, operation, problem, null);
    }

    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    public String operation() {
        return operation;
    }
}
