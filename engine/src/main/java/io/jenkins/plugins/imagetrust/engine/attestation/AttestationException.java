package io.jenkins.plugins.imagetrust.engine.attestation;

import java.util.Objects;

/** An envelope or statement that cannot be read as an attestation; carries its reason code and a one-line message. */
public final class AttestationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final AttestationReason reason;

    public AttestationException(AttestationReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public AttestationReason reason() {
        return reason;
    }
}
