package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary publish}. */
@Command(name = "publish", description = {"Sign each IMAGE's tag into its repository's Notary trust data (tag -> manifest digest and size),",
        "like DOCKER_CONTENT_TRUST=1 docker push. Prints IMAGE:TAG@DIGEST. No cosign signature is written."})
final class NotaryPublishCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
            description = "The targets key (or a targets/releases key). Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
    String key;

    @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
            description = "The root key: needed to initialise a repository; when given, the existing root must list it. Passphrase from "
                    + NotaryCommand.ROOT_PASSWORD_ENV + ", else as for --key.")
    String rootKey;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    NotaryCommand.RootTrust rootTrust;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        RegistryClient registry = common.registry(context);
        try (Signer targets = Signers.openInBackground(context, key, null); Signer root = NotaryCommand.openRootKey(context, rootKey)) {
            NotaryServer notary = NotaryCommand.serverWithRoot(server, registry, root, rootTrust);
            return ImageBatch.run(context, images, common.quiet, text -> {
                Signers.failIfFailed(targets); // a wrong passphrase: no more requests for the images after the first
                Signers.failIfFailed(root);
                ImageReference image = ImageReference.parse(text);
                String tag = NotaryCommand.tagOf(image, text);
                Manifest manifest = registry.fetchManifest(image.repositoryOnly(), image.digest().map(Object::toString).orElse(tag))
                        .orElseThrow(() -> new IllegalArgumentException("the registry has no " + text));
                if (image.digest().isPresent()) {
                    noteWhereTheTagPoints(registry, common.listener(context), image, tag);
                }
                PublishResult result = notary.publishTag(image, tag, manifest.digest(), manifest.size(), targets, common.listener(context));
                context.out().println(image.repositoryOnly().withTag(tag).withDigest(result.resolution().digest()));
                return ExitCodes.OK;
            });
        }
    }

    /**
     * {@code IMAGE:TAG@DIGEST} signs TAG to DIGEST as given, whatever the registry's tag names: said on stderr when
     * that differs, as {@code sign} says what it signs.
     */
    static void noteWhereTheTagPoints(RegistryClient registry, ProgressListener listener, ImageReference image, String tag) throws Exception {
        ImageReference byTag = image.repositoryOnly().withTag(tag);
        Optional<Manifest> current = registry.fetchManifest(image.repositoryOnly(), tag);
        if (current.isEmpty()) {
            listener.warning("notary-publish", byTag + " does not exist at the registry; signing " + tag + " to "
                    + image.digest().get() + " as given");
        } else if (!current.get().digest().equals(image.digest().get())) {
            listener.warning("notary-publish", byTag + " names " + current.get().digest() + " at the registry, not "
                    + image.digest().get() + "; signing " + tag + " to " + image.digest().get() + " as given");
        }
    }
}
