package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.ImageAttester;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust attest}: sign a predicate about existing images and store it beside their signatures. */
@Command(name = "attest", description = {"Attest each image's manifest digest: the predicate file becomes an in-toto statement about the",
        "digest (an index: the index and every manifest it lists), signed once as a DSSE envelope and stored both in the legacy",
        "sha256-<hex>.att tag and as a cosign 3 Sigstore bundle referrer (see --signature-format). The image is not signed.",
        "Prints IMAGE@DIGEST for every image attested."})
final class AttestCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--key", required = true, paramLabel = "FILE|env://VAR|pkcs11:URI", description = "Private key, as for sign.")
    String key;

    @Option(names = "--predicate", required = true, paramLabel = "FILE",
            description = "The predicate: one JSON object (an SBOM, a provenance predicate), at most 8 MiB.")
    Path predicate;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = {"The predicate type: slsaprovenance1, slsaprovenance (v0.2), spdxjson, cyclonedx, vuln, … (cosign's names),",
                    "or any absolute URI."})
    String type;

    @Option(names = "--signature-format", paramLabel = "FORMAT", defaultValue = "both",
            description = "legacy (the .att tag), bundle (a Sigstore bundle referrer) or both (default).")
    String signatureFormat;

    @Option(names = "--signature-repository", paramLabel = "REPO",
            description = "Store attestations in this repository instead of the image's own. Default: $COSIGN_REPOSITORY, as cosign.")
    String signatureRepository;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references (tag or digest).")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        SignatureFormat format;
        Predicate toAttest;
        try {
            format = SignatureFormat.fromId(signatureFormat);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--signature-format: " + e.getMessage());
        }
        try {
            toAttest = Predicate.of(type, readPredicate(predicate));
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--predicate " + predicate + ": " + e.getMessage());
        }
        try (Signer signer = Signers.open(context, key, null)) {
            ImageAttester attester = ImageAttester.create(common.registry(context), signer, common.listener(context),
                    CosignSpellings.signatureRepository(signatureRepository, context));
            return ImageBatch.run(context, images, common.quiet, text -> {
                SignResult result = attester.attest(ImageReference.parse(text), List.of(toAttest), format);
                context.out().println(result.pinnedReference());
                return ExitCodes.OK;
            });
        }
    }

    /** The file's bytes, refusing more than a statement may hold (read capped: the size check alone could race). */
    private static byte[] readPredicate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CappedRead.readAtMost(in, Statement.MAX_BYTES, "the predicate file");
        }
    }
}
