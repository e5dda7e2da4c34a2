package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * A file's bytes do not hash to what its parent role (snapshot or timestamp) recorded: the file was
 * tampered with or mixed in from another version.
 */
public class HashMismatchException extends TufException {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final String expectedHex;
    private final String actualHex;

    public HashMismatchException(String role, String algorithm, String expectedHex, String actualHex) {
        super(role, role + " " + algorithm + " is " + actualHex + ", its parent metadata recorded " + expectedHex);
        this.algorithm = algorithm;
        this.expectedHex = expectedHex;
        this.actualHex = actualHex;
    }

    public String algorithm() {
        return algorithm;
    }

    public String expectedHex() {
        return expectedHex;
    }

    public String actualHex() {
        return actualHex;
    }
}
