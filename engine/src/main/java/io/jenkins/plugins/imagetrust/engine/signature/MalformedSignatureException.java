package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import java.util.Objects;

/**
 * A signature's document (its payload, statement, envelope or bundle) is malformed, with the {@link RejectionReason}
 * a verification report gives for it.
 */
public final class MalformedSignatureException extends MalformedDocumentException {
    private static final long serialVersionUID = 1L;
    private final RejectionReason reason;

    public MalformedSignatureException(RejectionReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public RejectionReason reason() {
        return reason;
    }
}
