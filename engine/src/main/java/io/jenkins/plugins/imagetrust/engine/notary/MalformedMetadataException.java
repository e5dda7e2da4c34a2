package io.jenkins.plugins.imagetrust.engine.notary;

/** Metadata that cannot be parsed, or whose content breaks the Notary format (a fraction, a missing field…). */
public class MalformedMetadataException extends TufException {
    private static final long serialVersionUID = 1L;

    public MalformedMetadataException(String role, String detail) {
        super(role, "malformed " + role + " metadata: " + detail);
    }

    public MalformedMetadataException(String role, String detail, Throwable cause) {
        super(role, "malformed " + role + " metadata: " + detail, cause);
    }
}
