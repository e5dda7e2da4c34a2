package io.jenkins.plugins.imagetrust.engine.events;

/** Receives the engine's progress events; the engine itself never writes to stdout or a logger. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that drops everything. */
    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);

    default void info(String operation, String message) {
        onEvent(ProgressEvent.info(operation, message));
    }

    default void debug(String operation, String message) {
        onEvent(ProgressEvent.debug(operation, message));
    }

    default void warning(String operation, String message) {
        onEvent(ProgressEvent.warning(operation, message));
    }
}
