package io.jenkins.plugins.imagetrust.engine.http;

/**
 * Why an exchange produced no response, before the caller turns it into its own exception that names the service and
 * operation (a {@code RegistryException}, a {@code NotaryServerException}).
 */
public final class TransportFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Connection refused or reset, or closed early: worth a retry on an idempotent call. */
        CONNECTION,
        /** TLS handshake or certificate failure: the same again would fail the same way, so never retried. */
        TLS,
        /** Connect, header or body deadline passed. */
        TIMEOUT,
        /** The body exceeded its cap. */
        TOO_LARGE,
        /** A redirect this client will not follow, or a target the host policy forbids. */
        REFUSED
    }

    private final Kind kind;
    private final long cap;

    TransportFailure(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, -1);
    }

    TransportFailure(Kind kind, String message, Throwable cause, long cap) {
        super(message, cause);
        this.kind = kind;
        this.cap = cap;
    }

    public Kind kind() {
        return kind;
    }

    /** The cap a {@link Kind#TOO_LARGE} body passed; -1 otherwise. */
    public long cap() {
        return cap;
    }
}
