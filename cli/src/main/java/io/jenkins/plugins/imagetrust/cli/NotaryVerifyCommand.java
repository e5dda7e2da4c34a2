package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.NotaryVerification;
import io.jenkins.plugins.imagetrust.engine.NotaryVerifier;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.TargetResolution;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary verify}. */
@Command(name = "verify", description = {"Resolve each IMAGE's tag through its repository's verified Notary trust data, as",
        "DOCKER_CONTENT_TRUST=1 docker pull does, and check the registry serves that digest. Prints IMAGE:TAG@DIGEST; exit 3 when not trusted."})
final class NotaryVerifyCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();
    @Mixin
    NotaryCommand.ServerOptions server = new NotaryCommand.ServerOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    NotaryCommand.RootTrust rootTrust;

    @Option(names = "--no-registry-check", description = "Do not ask the registry whether it serves the signed digest.")
    boolean noRegistryCheck;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        RegistryClient registry = common.registry(context);
        ProgressListener listener = common.listener(context);
        NotaryVerifier verifier = NotaryVerifier.builder()
                .notary(server.builder(registry).rootPin(NotaryCommand.RootTrust.pin(rootTrust)).build())
                .registry(noRegistryCheck ? null : registry)
                .listener(listener)
                .build();
        return ImageBatch.run(context, images, common.quiet, text -> {
            NotaryVerification verified;
            try {
                verified = verifier.verify(ImageReference.parse(text));
            } catch (NotaryException e) {
                if (ExitCodes.ofNotary(e) != ExitCodes.NOT_TRUSTED) {
                    throw e;
                }
                context.err().println("image-trust: not trusted: " + text + ": " + ImageTrustCommand.describe(e));
                return ExitCodes.NOT_TRUSTED;
            }
            TargetResolution resolution = verified.resolution();
            // Part of the result (which role vouches for the tag), so shown without -v; stderr keeps stdout one line per image.
            if (!common.quiet) {
                context.err().println(resolution.gun() + ":" + resolution.tag() + " resolves through " + resolution.role() + "; signed by "
                    + String.join(", ", resolution.signedBy()));
            }
            context.out().println(verified.image().repositoryOnly().withTag(resolution.tag()).withDigest(resolution.digest()));
            return ExitCodes.OK;
        });
    }
}
