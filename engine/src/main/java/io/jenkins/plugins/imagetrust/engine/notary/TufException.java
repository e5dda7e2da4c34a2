package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * A TUF verification failure: the metadata of {@link #role()} must not be trusted. Each subclass carries the
 * facts of one kind of failure (expired, rolled back, badly signed, wrong hash, too large…).
 */
public class TufException extends NotaryException {
    private static final long serialVersionUID = 1L;
    private final String role;

    public TufException(String role, String message) {
        super(message);
        this.role = role;
    }

    public TufException(String role, String message, Throwable cause) {
        super(message, cause);
        this.role = role;
    }

    /** The role (or file name) whose metadata failed, e.g. {@code targets/releases}. */
    public String role() {
        return role;
    }
}
