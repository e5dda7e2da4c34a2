package io.jenkins.plugins.imagetrust.engine.reference;

/** An image reference or digest that does not parse; the message names the input and what is wrong. */
public class InvalidReferenceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidReferenceException(String input, String problem) {
        super("invalid image reference '" + input + "': " + problem);
        this.input = input;
    }

    public String input() {
        return input;
    }
}
