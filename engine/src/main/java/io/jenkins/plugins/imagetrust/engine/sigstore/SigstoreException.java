package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.util.Objects;

/** A rejected bundle or an unreadable trusted root: the reason code and a one-line message naming what was wrong. */
public final class SigstoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final SigstoreReason reason;

    public SigstoreException(SigstoreReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public SigstoreReason reason() {
        return reason;
    }
}
