package io.jenkins.plugins.imagetrust.cli;

/**
 * Exits at once. The start-up benchmark runs it from the shaded jar as the floor of a JVM start (bench module,
 * docs/performance.md); it loads nothing of the command.
 */
public final class NoOp {
    private NoOp() {
    }

    public static void main(String[] args) {
        // nothing: the time measured is the JVM's own start and exit
    }
}
