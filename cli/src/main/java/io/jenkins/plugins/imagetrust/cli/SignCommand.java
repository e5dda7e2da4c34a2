package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.IndexSigningException;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.SignedManifest;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust sign}: sign image digests and store the signatures in the cosign formats. */
@Command(name = "sign", description = {"Sign each image's manifest digest (never a tag): by default both as the legacy cosign signature at",
        "sha256-<hex>.sig and as a cosign 3 Sigstore bundle attached as an OCI referrer. Prints IMAGE@DIGEST for every image signed.",
        "An image index is signed with every platform manifest it lists (see --recursive); each of those is printed as",
        "IMAGE@DIGEST<TAB>PLATFORM after the index's line. Exit 1 when one of them could not be signed (the index then is not)."})
final class SignCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    CosignSpellings cosign = new CosignSpellings();

    @Option(names = "--key", required = true, paramLabel = "FILE|env://VAR|pkcs11:URI",
            description = {"Private key: cosign encrypted key file, PKCS#8, SEC1 or PKCS#1 PEM (passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt),",
                    "env://VAR for the PEM in an environment variable (as cosign),",
                    "or a key in a PKCS#11 token: pkcs11:slot-id=N;object=LABEL?module-path=LIB (PIN from IMAGE_TRUST_PKCS11_PIN, pin-source=FILE or a prompt)."})
    String key;

    @Option(names = {"-a", "--annotation", "--annotations"}, paramLabel = "KEY=VALUE", description = "Annotation written into the signed payload (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Option(names = "--signature-repository", paramLabel = "REPO",
            description = "Store signatures in this repository instead of the image's own. Default: $COSIGN_REPOSITORY, as cosign.")
    String signatureRepository;

    @Option(names = "--expect-digest", paramLabel = "sha256:HEX",
            description = "The digest the build pushed: refuse to sign if the tag now names another (one IMAGE only).")
    String expectDigest;

    @Option(names = "--sign-unverified-digest",
            description = {"RISKY, with --expect-digest: when the tag moved after the build pushed, sign whatever it names now instead of",
                    "refusing: possibly an image your build never made."})
    boolean signUnverifiedDigest;

    /** The option's old name, which did not say what it risks: kept working for scripts, out of the help. */
    @Option(names = "--sign-registry-digest", hidden = true)
    boolean signRegistryDigestDeprecated;

    @Option(names = "--daemon",
            description = "Insist that the digest signed is the one the Docker daemon pushed (its RepoDigests); refuse if the tag moved since.")
    boolean daemon;

    @Option(names = "--docker-host", paramLabel = "URL",
            description = "The Docker daemon for --daemon. Default: $DOCKER_HOST, else " + DaemonConnections.DEFAULT_HOST + ", as the docker CLI.")
    String dockerHost;

    @Option(names = "--signature-format", paramLabel = "FORMAT", defaultValue = "both",
            description = {"legacy: the sha256-<hex>.sig tag only (skopeo, podman, CRI-O, policy-controller read it);",
                    "bundle: the Sigstore bundle attached as an OCI referrer only (cosign 3's default);",
                    "both (default): both, so every verifier accepts the image."})
    String signatureFormat;

    @Option(names = "--recursive", arity = "0..1", paramLabel = "true|false", defaultValue = "true", fallbackValue = "true",
            description = {"For an image index (multi-platform image): also sign every manifest it lists, nested indexes included,",
                    "buildx attestation manifests left out (default true; --recursive=false signs the index alone, as cosign does by default)."})
    boolean recursive = true;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references (tag or digest).")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        if (expectDigest != null && images.size() != 1) {
            throw new CliUsageException("--expect-digest names one image's digest; give exactly one IMAGE");
        }
        if (dockerHost != null && !daemon) {
            throw new CliUsageException("--docker-host names the daemon --daemon asks; give --daemon too");
        }
        Digest expected = expectDigest == null ? null : expectedDigest(expectDigest);
        SignatureFormat format;
        try {
            format = SignatureFormat.fromId(signatureFormat);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--signature-format: " + e.getMessage());
        }
        cosign.noteIgnored(context);
        if (signRegistryDigestDeprecated) {
            context.err().println("image-trust: note: --sign-registry-digest is deprecated; its name is now --sign-unverified-digest");
        }
        if (expected == null && !daemon && !common.quiet && images.stream().anyMatch(image -> !image.contains("@"))) {
            context.err().println("image-trust: note: signing the digest each tag names at the registry now; in a build give --daemon or"
                    + " --expect-digest, so that what is signed is what the build pushed");
        }
        RegistryClient registry = common.registry(context);
        try (Signer signer = Signers.open(context, key, null)) {
            ImageSigner imageSigner = ImageSigner.builder()
                    .registry(registry)
                    .signer(signer)
                    .listener(common.listener(context))
                    .signatureRepository(CosignSpellings.signatureRepository(signatureRepository, context))
                    .daemon(daemon ? DaemonConnections.open(dockerHost, context, common.listener(context)) : null)
                    .build();
            return ImageBatch.run(context, images, common.quiet, text -> {
                ImageReference image = ImageReference.parse(text);
                SignResult result;
                try {
                    result = imageSigner.sign(SignRequest.builder(image)
                            .expectedDigest(expected)
                            .signRegistryDigest(signUnverifiedDigest || signRegistryDigestDeprecated)
                            .annotations(annotations)
                            .signatureFormat(format)
                            .recursive(recursive)
                            .build());
                } catch (IndexSigningException e) {
                    printListed(image, e.signed()); // what is signed stays signed: say so before the error
                    throw e;
                }
                context.out().println(result.pinnedReference());
                printListed(image, result.manifests());
                return ExitCodes.OK;
            });
        }
    }

    /** One line per listed manifest signed with an index: {@code IMAGE@DIGEST<TAB>PLATFORM}. */
    private void printListed(ImageReference image, List<SignedManifest> manifests) {
        for (SignedManifest manifest : manifests) {
            context.out().println(image.repositoryOnly().withDigest(manifest.digest()).pinned() + "\t" + manifest.manifest().platformText());
        }
    }

    private static Digest expectedDigest(String text) throws CliUsageException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--expect-digest '" + text + "' is not a digest: give sha256:<64 hex digits>, as the build's push printed it");
        }
    }
}
