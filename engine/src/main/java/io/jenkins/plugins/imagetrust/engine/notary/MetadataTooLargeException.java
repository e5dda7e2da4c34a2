package io.jenkins.plugins.imagetrust.engine.notary;

/** A metadata file is larger than the cap for its role; reading stopped at the cap. */
public class MetadataTooLargeException extends TufException {
    private static final long serialVersionUID = 1L;
    private final long maxBytes;

    public MetadataTooLargeException(String role, long maxBytes) {
        super(role, role + " metadata exceeds the " + maxBytes + "-byte limit");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
