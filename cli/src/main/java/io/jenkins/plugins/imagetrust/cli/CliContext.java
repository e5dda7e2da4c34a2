package io.jenkins.plugins.imagetrust.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * What the command sees of the outside world: environment, standard input, the console (for prompts), and the
 * two output streams. Injected so tests run the real command in-process.
 *
 * @param environment the process environment (passwords come from here, never from arguments)
 * @param stdin standard input (for {@code --password-stdin})
 * @param console the terminal, or null when none is attached
 * @param out results only
 * @param err progress and diagnostics
 */
public record CliContext(Map<String, String> environment, InputStream stdin, Console console, PrintWriter out, PrintWriter err) {
    public CliContext {
        Objects.requireNonNull(environment);
        Objects.requireNonNull(stdin);
        Objects.requireNonNull(out);
        Objects.requireNonNull(err);
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.console(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }
}
