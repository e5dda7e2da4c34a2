package io.jenkins.plugins.imagetrust.cli;

import java.io.Console;

/** Whether output is going to a person at a terminal (then a live count may be redrawn) or to a log. */
final class Terminals {
    private Terminals() {
    }

    /**
     * JDK 17–21 give a console only when attached to a terminal; JDK 22 and later give one always and say through
     * {@code Console.isTerminal()}.
     */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
