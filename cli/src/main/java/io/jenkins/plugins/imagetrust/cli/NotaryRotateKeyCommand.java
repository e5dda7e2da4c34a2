package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.KeyRotationResult;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryKeyRotation;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary rotate-key}. */
@Command(name = "rotate-key", description = {"Replace the root key (new root signed by --root-key and --new-key), the targets key (new root",
        "signed by --root-key, targets re-signed) or a delegation's key (targets re-signed by --key, the delegation re-signed)",
        "of REPOSITORY's Notary trust data, in one upload.",
        "Prints REPOSITORY ROLE NEW_KEY_ID root vN targets vN."})
final class NotaryRotateKeyCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @Option(names = "--role", defaultValue = RoleNames.TARGETS, paramLabel = "ROLE",
            description = "targets (default), root, or a delegation of targets such as targets/releases.")
    String role;

    @Option(names = "--new-key", required = true, paramLabel = "FILE|pkcs11:URI",
            description = "The role's new private key. Passphrase from " + NotaryCommand.NEW_KEY_PASSWORD_ENV + ", else as for --key.")
    String newKey;

    @Option(names = "--key", paramLabel = "FILE|pkcs11:URI",
            description = "The targets key: required to rotate a delegation's key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
    String key;

    @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
            description = "The (current) root key: required to rotate the root or targets key; else it pins the root. Passphrase from " + NotaryCommand.ROOT_PASSWORD_ENV + ", else as for --key.")
    String rootKey;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    NotaryCommand.RootTrust rootTrust;

    @Parameters(arity = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
    String repository;

    @Override
    public Integer call() throws Exception {
        boolean targetsRole = RoleNames.TARGETS.equals(role);
        boolean rootRole = RoleNames.ROOT.equals(role);
        if (!targetsRole && !rootRole && !RoleNames.isDelegation(role)) {
            throw new CliUsageException("--role " + role + ": not root, targets nor a delegation of targets (targets/NAME)");
        }
        if ((targetsRole || rootRole) && rootKey == null) {
            throw new CliUsageException("rotating the " + role + " key needs --root-key: the new root must be signed by it");
        }
        if (RoleNames.isDelegation(role) && key == null) {
            throw new CliUsageException("rotating the key of " + role + " needs --key, the targets key that delegates it");
        }
        RegistryClient registry = common.registry(context);
        try (Signer root = NotaryCommand.openRootKey(context, rootKey);
                Signer targets = key == null ? null : Signers.openInBackground(context, key, null);
                Signer replacement = Signers.openInBackground(context, newKey, NotaryCommand.NEW_KEY_PASSWORD_ENV)) {
            String gun = NotaryServer.gun(ImageReference.parse(repository));
            NotaryKeyRotation rotation = NotaryCommand.serverWithRoot(server, registry, root, rootTrust).keyRotation(common.listener(context));
            KeyRotationResult result = rootRole ? rotation.rotateRootKey(gun, root, replacement)
                    : targetsRole ? rotation.rotateTargetsKey(gun, root, replacement)
                    : rotation.rotateDelegationKey(gun, role, targets, root, replacement);
            context.out().println(repository + " " + result.role() + " " + result.newKeyId() + " root v" + result.rootVersion()
                    + " targets v" + result.targetsVersion());
            context.out().flush();
            return ExitCodes.OK;
        } catch (NotaryException | IllegalArgumentException | IllegalStateException e) {
            context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
            return ExitCodes.ERROR;
        }
    }
}
