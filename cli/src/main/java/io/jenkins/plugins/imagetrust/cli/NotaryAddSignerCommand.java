package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary add-signer}. */
@Command(name = "add-signer", description = {"Add a named signer to REPOSITORY's Notary trust data, like docker trust signer add: targets, signed",
        "by --key, delegates targets/NAME and targets/releases to the signer's public key. Tags later signed with that key",
        "go into both roles, and docker trust inspect lists NAME as their signer. Prints REPOSITORY targets/NAME KEY_ID."})
final class NotaryAddSignerCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
            description = "The targets key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
    String key;

    @Option(names = "--signer-key", required = true, paramLabel = "FILE", description = "The signer's PEM public key.")
    Path signerKey;

    @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
            description = "The root key, to pin the existing root. Passphrase from " + NotaryCommand.ROOT_PASSWORD_ENV + ", else as for --key.")
    String rootKey;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    NotaryCommand.RootTrust rootTrust;

    @Parameters(index = "0", paramLabel = "NAME", description = "The signer's name: lowercase letters and digits, then also - and _ (not releases).")
    String name;

    @Parameters(index = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
    String repository;

    @Override
    public Integer call() throws Exception {
        PublicKey signerPublicKey;
        try {
            signerPublicKey = PublicKeys.parse(new String(CappedRead.file(signerKey, PublicKeys.MAX_PEM_BYTES, "--signer-key"), StandardCharsets.US_ASCII));
        } catch (KeyException e) {
            throw new CliUsageException("--signer-key " + signerKey + ": " + e.getMessage());
        }
        RegistryClient registry = common.registry(context);
        try (Signer targets = Signers.openInBackground(context, key, null); Signer root = NotaryCommand.openRootKey(context, rootKey)) {
            String gun = NotaryServer.gun(ImageReference.parse(repository));
            NotaryCommand.serverWithRoot(server, registry, root, rootTrust).signerDelegation(common.listener(context))
                    .addSigner(gun, name, signerPublicKey, targets, root);
            context.out().println(repository + " " + RoleNames.TARGETS + "/" + name + " " + TufKey.forPublicKey(signerPublicKey).id());
            context.out().flush();
            return ExitCodes.OK;
        } catch (NotaryException | IllegalArgumentException | IllegalStateException e) {
            context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
            return ExitCodes.ERROR;
        }
    }
}
