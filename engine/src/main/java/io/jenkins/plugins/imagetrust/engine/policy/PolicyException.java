package io.jenkins.plugins.imagetrust.engine.policy;

/** A trust policy that cannot be read: the message names the field and what is wrong with it. */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
