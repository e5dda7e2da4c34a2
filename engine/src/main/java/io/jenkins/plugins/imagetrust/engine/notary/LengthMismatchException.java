package io.jenkins.plugins.imagetrust.engine.notary;

/** A file's length differs from what its parent role (snapshot or timestamp) recorded. */
public class LengthMismatchException extends TufException {
    private static final long serialVersionUID = 1L;
    private final long expected;
    private final long actual;

    public LengthMismatchException(String role, long expected, long actual) {
        super(role, role + " has " + actual + " bytes, its parent metadata recorded " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
