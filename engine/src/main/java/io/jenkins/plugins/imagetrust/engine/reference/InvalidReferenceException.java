package io.jenkins.plugins.imagetrust.engine.reference;

/** An image reference or digest that does not parse; the message names the input and what is wrong. */
public class InvalidReferenceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String problem;

    public InvalidReferenceException(String input, String problem) {
        super("invalid image reference '" + input + "': " + problem);
        this.input = input;
        this.problem = problem;
    }

    /** What is wrong, without the input. */
    public String problem() {
        return problem;
    }

    public String input() {
        return input;
    }
}
