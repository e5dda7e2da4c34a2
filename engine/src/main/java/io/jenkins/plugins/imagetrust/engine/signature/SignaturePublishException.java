package io.jenkins.plugins.imagetrust.engine.signature;

/** A signature that could not be stored; every signature stored before is still in place. */
public class SignaturePublishException extends Exception {
    private static final long serialVersionUID = 1L;

    public SignaturePublishException(String message) {
        super(message);
    }
}
