package io.jenkins.plugins.imagetrust.engine.keys;

/**
 * A key that cannot be read or used: malformed, wrong passphrase or PIN, unsupported algorithm.
 * The message says what is wrong and never contains key material, a passphrase or a PIN.
 */
public class KeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyException(String message) {
        super(message);
    }

    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
