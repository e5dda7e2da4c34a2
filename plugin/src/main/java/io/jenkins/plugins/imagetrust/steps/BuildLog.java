package io.jenkins.plugins.imagetrust.steps;

import hudson.model.TaskListener;
import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.io.PrintStream;

/**
 * The build log as the steps and the engine write to it: one prefixed line per event, detail (DEBUG) left out. The
 * engine's events never hold secrets, and neither do the lines the steps write.
 */
final class BuildLog implements ProgressListener {
    static final String PREFIX = "[Image Trust] ";

    private final PrintStream out;

    BuildLog(TaskListener listener) {
        this.out = listener.getLogger();
    }

    /** Writes one line. */
    void line(String text) {
        out.println(PREFIX + text);
    }

    @Override
    public void onEvent(ProgressEvent event) {
        switch (event.severity()) {
            case INFO -> line(event.message());
            case WARNING -> line("warning: " + event.message());
            case DEBUG -> {
                // detail for the CLI's --verbose; the build log stays one line per step of the work
            }
        }
    }
}
