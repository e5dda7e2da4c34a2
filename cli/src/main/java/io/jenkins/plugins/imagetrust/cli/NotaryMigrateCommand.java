package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary migrate}. */
@Command(name = "migrate", description = {"Sign every tag REPOSITORY's verified Notary trust data signs (targets, targets/releases) in the",
        "cosign format, by the digest Notary resolves. Prints one line per tag: TAG DIGEST MIGRATED|ALREADY_SIGNED|FAILED DETAIL."})
final class NotaryMigrateCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    NotaryCommand.RootTrust rootTrust;

    @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
            description = "The cosign signing key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
    String key;

    @Parameters(arity = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
    String repository;

    @Override
    public Integer call() throws Exception {
        RegistryClient registry = common.registry(context);
        try (Signer signer = Signers.openInBackground(context, key, null)) {
            NotaryMigration migration = NotaryMigration.builder()
                    .notary(server.builder(registry).rootPin(NotaryCommand.RootTrust.pin(rootTrust)).build())
                    .signer(ImageSigner.builder().registry(registry).signer(signer).listener(common.listener(context)).build())
                    .listener(common.listener(context))
                    .build();
            List<NotaryMigration.MigratedTag> results;
            try {
                results = migration.migrate(ImageReference.parse(repository));
            } catch (NotaryException e) {
                context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
                return ExitCodes.ofNotary(e);
            }
            int exit = ExitCodes.OK;
            for (NotaryMigration.MigratedTag result : results) {
                context.out().println(result.line());
                if (result.outcome() == NotaryMigration.Outcome.FAILED) {
                    exit = ExitCodes.ERROR;
                }
            }
            context.out().flush();
            return exit;
        }
    }
}
