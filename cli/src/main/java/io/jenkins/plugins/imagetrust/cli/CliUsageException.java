package io.jenkins.plugins.imagetrust.cli;

/** A command line that is wrong in a way picocli cannot see (options that go together); exits 2. */
final class CliUsageException extends Exception {
    private static final long serialVersionUID = 1L;

    CliUsageException(String message) {
        super(message);
    }
}
