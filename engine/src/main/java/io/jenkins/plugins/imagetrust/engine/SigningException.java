package io.jenkins.plugins.imagetrust.engine;

/** A signing request that was refused, e.g. because the tag no longer names the digest the build pushed. */
public class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
