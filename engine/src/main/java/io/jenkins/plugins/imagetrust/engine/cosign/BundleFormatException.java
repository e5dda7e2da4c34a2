package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import java.util.Objects;

/** A Sigstore bundle, its envelope or its statement is not what an image signature must be; carries the reason code. */
public final class BundleFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectionReason reason;

    public BundleFormatException(RejectionReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public RejectionReason reason() {
        return reason;
    }
}
