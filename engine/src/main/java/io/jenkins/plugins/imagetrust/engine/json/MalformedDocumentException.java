package io.jenkins.plugins.imagetrust.engine.json;

/**
 * A document read from elsewhere (a registry, a Notary server, a signature) is not what its format requires; the
 * message names what is wrong. Checked, and thrown only by the code that parses such documents, so that a programming
 * error is never reported as someone else's malformed document.
 */
public class MalformedDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedDocumentException(String message) {
        super(message);
    }

    public MalformedDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
