package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.RevokeResult;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary revoke}. */
@Command(name = "revoke", description = {"Remove each IMAGE's tag from its repository's Notary trust data: from targets/releases when --key is",
        "a targets/releases key, else from targets. Prints IMAGE:TAG REVOKED ROLE vN. A tag the role does not sign is an error."})
final class NotaryRevokeCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
            description = "The targets key (or a targets/releases key). Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
    String key;

    @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
            description = "The root key, to pin the existing root. Passphrase from " + NotaryCommand.ROOT_PASSWORD_ENV + ", else as for --key.")
    String rootKey;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    NotaryCommand.RootTrust rootTrust;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        RegistryClient registry = common.registry(context);
        try (Signer signer = Signers.openInBackground(context, key, null); Signer root = NotaryCommand.openRootKey(context, rootKey)) {
            NotaryServer notary = NotaryCommand.serverWithRoot(server, registry, root, rootTrust);
            return ImageBatch.run(context, images, common.quiet, text -> {
                Signers.failIfFailed(signer);
                Signers.failIfFailed(root);
                ImageReference image = ImageReference.parse(text);
                String tag = NotaryCommand.tagOf(image, text);
                RevokeResult result = notary.publisher(common.listener(context)).revoke(NotaryServer.gun(image), tag, signer, root);
                ImageReference tagged = image.repositoryOnly().withTag(tag);
                context.out().println(tagged + " REVOKED " + result.role() + " v" + result.roleVersion());
                result.stillResolvesTo().ifPresent(r -> context.err().println("image-trust: warning: " + tagged + " still resolves to "
                        + r.digest() + " through " + r.role()));
                return ExitCodes.OK;
            });
        }
    }
}
