package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.io.PrintWriter;

/**
 * Writes the engine's progress events to stderr as plain lines. By default only warnings: the result line of each
 * image on stdout says what was done. {@code -v} adds every step (resolved, stored, attached) and each request.
 */
final class ProgressRenderer implements ProgressListener {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean verbose;

    ProgressRenderer(PrintWriter err, boolean quiet, boolean verbose) {
        this.err = err;
        this.quiet = quiet;
        this.verbose = verbose;
    }

    @Override
    public void onEvent(ProgressEvent event) {
        switch (event.severity()) {
            case WARNING:
                err.println("WARNING: " + event.message());
                break;
            case INFO:
                if (verbose && !quiet) {
                    err.println(event.message());
                }
                break;
            default:
                if (verbose && !quiet) {
                    err.println("  [" + event.operation() + "] " + event.message());
                }
        }
        err.flush();
    }
}
