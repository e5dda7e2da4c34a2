package io.jenkins.plugins.imagetrust.engine.notary;

/** Fewer distinct keys of the role produced a valid signature than the role's threshold requires. */
public class SignatureThresholdException extends TufException {
    private static final long serialVersionUID = 1L;
    private final int required;
    private final int valid;

    public SignatureThresholdException(String role, int required, int valid) {
        this(role, required, valid, role + ": " + valid + " valid signature(s) from distinct keys of the role, " + required + " required");
    }

    protected SignatureThresholdException(String role, int required, int valid, String message) {
        super(role, message);
        this.required = required;
        this.valid = valid;
    }

    public int required() {
        return required;
    }

    public int valid() {
        return valid;
    }
}
