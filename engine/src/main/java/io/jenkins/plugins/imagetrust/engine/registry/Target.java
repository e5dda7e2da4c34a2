package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.net.URI;

/**
 * Where calls go and with which token scope: the registry as written in references (the key for credentials and
 * tokens), the repository, the API base URI, and the scope ({@code repository:<name>:pull} or {@code pull,push};
 * null for calls outside a repository).
 */
record Target(String registry, String repository, URI base, String scope) {
    static Target of(ImageReference image, URI base, boolean push) {
        return new Target(image.registry(), image.repository(), base,
                "repository:" + image.repository() + ":" + (push ? "pull,push" : "pull"));
    }

    static Target registryOnly(ImageReference image, URI base) {
        return new Target(image.registry(), null, base, null);
    }

    CallContext context(String operation) {
        return new CallContext(registry, repository, operation);
    }
}
