package io.jenkins.plugins.imagetrust.engine.registry;

/** A response body was larger than the cap set for it; reading stopped at the cap. */
public class SizeLimitExceededException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    public SizeLimitExceededException(String registry, String repository, String operation, long limitBytes, String what) {
        super(registry, repository, operation, what + " is larger than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
