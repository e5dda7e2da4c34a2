package io.jenkins.plugins.imagetrust.engine.registry.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the client gets credentials for a registry. Each call returns a fresh {@link RegistryCredentials} that the
 * client closes (clears) after use. Implementations: {@link RegistryCredentials} itself (explicit, any registry),
 * {@link #forRegistry}, {@link #anonymous()}, {@link DockerConfig}.
 */
@FunctionalInterface
public interface RegistryCredentialsProvider {
    /**
     * Credentials for {@code registry} as written in image references ({@code docker.io}, {@code 127.0.0.1:5000}),
     * or empty to go anonymously.
     */
    Optional<RegistryCredentials> credentialsFor(String registry) throws CredentialsException;

    /** No credentials for any registry. */
    static RegistryCredentialsProvider anonymous() {
        return registry -> Optional.empty();
    }

    /** {@code credentials} for {@code registry} only; anonymous elsewhere. */
    static RegistryCredentialsProvider forRegistry(String registry, RegistryCredentials credentials) {
        Objects.requireNonNull(registry, "registry");
        RegistryCredentials held = credentials.copy();
        return asked -> asked.equalsIgnoreCase(registry) ? Optional.of(held.copy()) : Optional.empty();
    }

    /** This provider, and {@code fallback} where this one has nothing. */
    default RegistryCredentialsProvider orElse(RegistryCredentialsProvider fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return registry -> {
            Optional<RegistryCredentials> found = credentialsFor(registry);
            return found.isPresent() ? found : fallback.credentialsFor(registry);
        };
    }
}
