package io.jenkins.plugins.imagetrust.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How a wrong command line is reported: one line naming the mistake, then where the help is. An option that does
 * not exist is named before anything else picocli noticed (a typo in {@code --kye} is the mistake, not the
 * "missing" {@code --key}); a suggestion is made only for a near spelling of an option, never for one with another
 * meaning; options people bring from cosign get advice of their own.
 */
final class UsageErrors {
    /** cosign options that have no counterpart here, with what to do instead. */
    private static final Map<String, String> COSIGN_ONLY = Map.of(
            "--certificate-identity", "keyless signing is not supported (sign with --key); keyless signatures are checked by verify",
            "--certificate-oidc-issuer", "keyless signing is not supported (sign with --key); keyless signatures are checked by verify",
            "--rekor-url", "Image Trust writes and reads no transparency log; leave it out",
            "--fulcio-url", "keyless (Fulcio certificate) signing is not supported; sign with --key",
            "--identity-token", "keyless (Fulcio certificate) signing is not supported; sign with --key",
            "--allow-insecure-registry", "plain HTTP is allowed per registry: --insecure-registry HOST[:PORT] (loopback registries always)",
            "--upload", "signatures are always stored in the registry; leave it out");

    private UsageErrors() {
    }

    /** The one line for {@code error}, seen on the command line {@code args}. */
    static String describe(CommandLine.ParameterException error, String[] args) {
        CommandSpec spec = error.getCommandLine().getCommandSpec();
        String unknown = firstUnknownOption(spec, args);
        if (unknown != null) {
            return unknownOption(spec, unknown);
        }
        if (error instanceof CommandLine.UnmatchedArgumentException unmatched && !spec.subcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", visibleSubcommands(spec)) + ")";
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        // picocli's map-option message says "Value for option option '--x'"; and some of its messages span lines.
        message = message.replace("option option", "option").strip().replaceAll("\\s*\\R\\s*", "; ");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** Where the help of the command that failed is. */
    static String seeHelp(CommandLine commandLine) {
        return "see '" + commandLine.getCommandSpec().qualifiedName() + " --help'";
    }

    private static List<String> visibleSubcommands(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(sub.getCommandName())) {
                names.add(sub.getCommandName());
            }
        });
        return names;
    }

    private static String unknownOption(CommandSpec spec, String option) {
        String advice = COSIGN_ONLY.get(option);
        if (advice != null) {
            return "option '" + option + "' does not exist here (it is cosign's): " + advice;
        }
        String near = nearest(spec, option);
        return "unknown option '" + option + "'" + (near == null ? "" : "; did you mean '" + near + "'?");
    }

    /**
     * The first argument that looks like an option and is none of {@code spec}'s (nor its parents'). Arguments of
     * the subcommands' names and option values are skipped; {@code --} ends the options.
     */
    static String firstUnknownOption(CommandSpec spec, String[] args) {
        Set<String> commandPath = new LinkedHashSet<>();
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            commandPath.add(s.name());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            OptionSpec option = find(spec, name);
            if (option != null) {
                if (!arg.contains("=") && option.arity().min() > 0) {
                    i++; // its value, whatever it looks like
                }
                continue;
            }
            if (!arg.startsWith("--") && isShortCluster(spec, arg)) {
                continue;
            }
            return name;
        }
        return null;
    }

    /** {@code -qv} (flags), or {@code -agit=x} (a short option with its value attached). */
    private static boolean isShortCluster(CommandSpec spec, String arg) {
        for (int i = 1; i < arg.length(); i++) {
            OptionSpec option = find(spec, "-" + arg.charAt(i));
            if (option == null) {
                return false;
            }
            if (option.arity().min() > 0) {
                return true; // the rest is its value
            }
        }
        return true;
    }

    private static OptionSpec find(CommandSpec spec, String name) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            OptionSpec option = s.findOption(name);
            if (option != null && option.longestName().length() > 0 && matchesExactly(option, name)) {
                return option;
            }
        }
        return null;
    }

    /** picocli's findOption also matches abbreviations in some modes: only exact names count here. */
    private static boolean matchesExactly(OptionSpec option, String name) {
        for (String n : option.names()) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A visible option within two typing slips of {@code typed} (and of a similar length), else null. */
    private static String nearest(CommandSpec spec, String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            for (OptionSpec option : s.options()) {
                if (option.hidden()) {
                    continue;
                }
                for (String name : option.names()) {
                    int distance = distance(typed, name);
                    int allowed = Math.min(2, Math.max(1, name.length() / 5));
                    if (distance <= allowed && distance < bestDistance) {
                        best = name;
                        bestDistance = distance;
                    }
                }
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
