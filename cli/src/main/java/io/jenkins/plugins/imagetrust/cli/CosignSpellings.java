package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import picocli.CommandLine.Option;

/**
 * cosign's spellings that scripts carry over to {@code sign} and {@code verify}: accepted, hidden from the help (they
 * change nothing here), and said once on stderr where they would otherwise mislead. docs/cli.md, "Coming from cosign".
 */
final class CosignSpellings {
    /** cosign's environment variable naming where signatures live, honoured when no option says otherwise. */
    static final String COSIGN_REPOSITORY = "COSIGN_REPOSITORY";

    @Option(names = {"-y", "--yes"}, hidden = true, description = "Accepted for cosign's scripts; Image Trust asks no confirmation.")
    boolean yes;

    @Option(names = "--tlog-upload", hidden = true, arity = "0..1", paramLabel = "BOOL",
            description = "Accepted for cosign's scripts; Image Trust writes no transparency log.")
    Boolean tlogUpload;

    @Option(names = "--insecure-ignore-tlog", hidden = true, arity = "0..1", paramLabel = "BOOL",
            description = "Accepted for cosign's scripts; Image Trust needs no transparency log.")
    Boolean insecureIgnoreTlog;

    /** Says once that the transparency-log options change nothing. */
    void noteIgnored(CliContext context) {
        if (tlogUpload != null || insecureIgnoreTlog != null) {
            context.err().println("image-trust: note: " + (tlogUpload != null ? "--tlog-upload" : "--insecure-ignore-tlog")
                    + " has no effect: Image Trust writes and needs no transparency log");
        }
    }

    /** The signature repository: the option when given, else COSIGN_REPOSITORY, else none (beside each image). */
    static ImageReference signatureRepository(String option, CliContext context) {
        String chosen = option != null ? option : context.environment().get(COSIGN_REPOSITORY);
        return chosen == null || chosen.isBlank() ? null : ImageReference.parse(chosen.strip());
    }
}
