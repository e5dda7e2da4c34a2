package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.files.FileErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code image-trust}: sign container images and verify them, in the cosign signature format. */
@Command(name = "image-trust",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // -h/--help and -V/--version on every subcommand too
        versionProvider = ImageTrustCommand.Version.class,
        description = "Sign container images by digest and verify them against trusted keys.",
        subcommands = {GenerateKeyPairCommand.class, SignCommand.class, VerifyCommand.class, AttestCommand.class, VerifyAttestationCommand.class,
                DigestCommand.class, NotaryCommand.class,
                PublicKeyCommand.class,
                VerifyBundleCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done/verified, 1 error, 2 usage, 3 not trusted (a batch exits with the most severe).",
                "Passwords for encrypted keys: IMAGE_TRUST_PASSWORD, else COSIGN_PASSWORD, else a prompt on a terminal."})
public final class ImageTrustCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ProcessExit.exit(run(CliContext.system(), args));
    }

    /** Runs the command with {@code context}'s streams and environment; returns the exit code. */
    public static int run(CliContext context, String... args) {
        CommandLine commandLine = new CommandLine(new ImageTrustCommand(), new ContextFactory(context))
                .setOut(context.out())
                .setErr(context.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, arguments) -> {
                    e.getCommandLine().getErr().println("image-trust: " + UsageErrors.describe(e, arguments));
                    e.getCommandLine().getErr().println(UsageErrors.seeHelp(e.getCommandLine()));
                    return ExitCodes.USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof CliUsageException) {
                        cmd.getErr().println("image-trust: " + e.getMessage());
                        cmd.getErr().println(UsageErrors.seeHelp(cmd));
                        return ExitCodes.USAGE;
                    }
                    cmd.getErr().println("image-trust: error: " + describe(e));
                    return ExitCodes.ERROR;
                });
        commandLine.setUsageHelpAutoWidth(true);
        // Plain help, as docs/cli.md says; picocli's own -Dpicocli.ansi=true still forces colour.
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
                System.getProperty("picocli.ansi") != null ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
        int code = commandLine.execute(args);
        context.out().flush();
        context.err().flush();
        return code;
    }

    /** The exception's own message, with its cause when that adds something (never a stack trace). */
    static String describe(Throwable e) {
        String message = FileErrors.describe(e);
        Throwable cause = e.getCause();
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        boolean said = root != null && root.getMessage() != null && message.contains(root.getMessage());
        if (cause != null && cause.getMessage() != null && !message.contains(FileErrors.describe(cause)) && !said) {
            message += " (" + FileErrors.describe(cause) + ")";
        }
        return message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Gives every command the same {@link CliContext}. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            K instance = fallback.create(type);
            if (instance instanceof ContextAware) {
                ((ContextAware) instance).setContext(context);
            }
            return instance;
        }
    }

    /** Implemented by commands that need the context. */
    interface ContextAware {
        void setContext(CliContext context);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ImageTrustCommand.class.getPackage().getImplementationVersion();
            return new String[] {"image-trust " + (version != null ? version : "(development build)")};
        }
    }
}
