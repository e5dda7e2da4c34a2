package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;

/** Content fetched (or a digest the registry reported) does not match the digest it was asked for. */
public class DigestMismatchException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final Digest expected;
    private final Digest actual;

    public DigestMismatchException(String registry, String repository, String operation, Digest expected, Digest actual,
            String what) {
        super(registry, repository, operation, what + " has digest " + actual + " but " + expected + " was expected");
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
