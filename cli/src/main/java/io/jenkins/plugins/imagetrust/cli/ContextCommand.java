package io.jenkins.plugins.imagetrust.cli;

import java.util.concurrent.Callable;

/** A subcommand that sees the outside world only through its {@link CliContext}; returns its exit code. */
abstract class ContextCommand implements Callable<Integer>, ImageTrustCommand.ContextAware {
    protected CliContext context;

    @Override
    public final void setContext(CliContext value) {
        this.context = value;
    }
}
