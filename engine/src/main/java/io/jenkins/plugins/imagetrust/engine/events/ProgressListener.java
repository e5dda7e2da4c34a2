package io.jenkins.plugins.imagetrust.engine.events;

/** Receives the engine's progress events; the engine itself never writes to stdout or a logger. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that drops everything. */
    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);

    /** {@code listener}, told of one event at a time even when events come from several threads. */
    static ProgressListener serialized(ProgressListener listener) {
        if (listener == NONE) {
            return NONE;
        }
        Object lock = new Object();
        return event -> {
            synchronized (lock) {
                listener.onEvent(event);
            }
        };
    }

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
