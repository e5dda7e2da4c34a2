package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * Root of every Notary v1 / Docker Content Trust failure: malformed metadata, a failed TUF check, a server
 * error. Messages name the role or repository concerned and never contain key material.
 */
public class NotaryException extends Exception {
    private static final long serialVersionUID = 1L;

    public NotaryException(String message) {
        super(message);
    }

    public NotaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
