package io.jenkins.plugins.imagetrust.engine.notary;

import java.util.Optional;

/**
 * The Notary server refused a request or failed: the HTTP status, the server's error code
 * (e.g. {@code INVALID_UPDATE}) and its detail (e.g. {@code valid signatures did not meet threshold for targets}).
 */
public class NotaryServerException extends NotaryException {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final int status;
    private final String code;
    private final String detail;

    public NotaryServerException(String operation, int status, String code, String detail) {
        super(operation + " failed: HTTP " + status + (code == null ? "" : " " + code) + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.operation = operation;
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    public NotaryServerException(String operation, String reason, Throwable cause) {
        super(operation + " failed: " + reason, cause);
        this.operation = operation;
        this.status = -1;
        this.code = null;
        this.detail = reason;
    }

    public String operation() {
        return operation;
    }

    /** The HTTP status, or -1 when no response arrived (connection refused, timeout, TLS failure). */
    public int status() {
        return status;
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The server's explanation (the error's message and detail), or the transport failure. */
    public String detail() {
        return detail == null ? "" : detail;
    }
}
