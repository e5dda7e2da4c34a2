package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * The repository's root of trust cannot be established: no pinned root and trust on first use not allowed,
 * a root that the pin does not match, a root rotation the old root did not sign, or a root certificate that
 * does not belong to the repository.
 */
public class UntrustedRootException extends TufException {
    private static final long serialVersionUID = 1L;
    private final String gun;

    public UntrustedRootException(String gun, String reason) {
        super("root", "untrusted root for " + gun + ": " + reason);
        this.gun = gun;
    }

    public String gun() {
        return gun;
    }
}
