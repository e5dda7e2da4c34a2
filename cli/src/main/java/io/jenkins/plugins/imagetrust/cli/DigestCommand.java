package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code image-trust digest IMAGE…}: what each reference names at its registry now. */
@Command(name = "digest", description = "Print IMAGE@DIGEST for each image, as its registry resolves it now.")
final class DigestCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references, e.g. registry.example.com/team/app:1.0")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        RegistryClient registry = common.registry(context);
        return ImageBatch.run(context, images, common.quiet, text -> {
            ImageReference image = ImageReference.parse(text);
            Descriptor descriptor = registry.resolve(image);
            context.out().println(image.repositoryOnly().withDigest(descriptor.digest()).pinned());
            return ExitCodes.OK;
        });
    }
}
