package io.jenkins.plugins.imagetrust.engine.registry.auth;

/** Credentials could not be read: an unreadable {@code config.json}, a failing credential helper. Never holds a secret. */
public class CredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String message) {
        super(message);
    }

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
