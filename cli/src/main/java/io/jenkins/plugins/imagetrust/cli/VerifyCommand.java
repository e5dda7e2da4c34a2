package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyFiles;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust verify}: check images' signatures against trusted keys or a policy file. */
@Command(name = "verify", description = {"Verify each image's cosign signatures (the sha256-<hex>.sig tag and Sigstore bundles attached",
        "as OCI referrers, both read automatically) against trusted keys, a keyless signer identity, or a policy.",
        "Exit 0 when every image is trusted, 3 when the policy is not met (in warn mode: 0 with a warning), 1 on errors."})
final class VerifyCommand extends ContextCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    CosignSpellings cosign = new CosignSpellings();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TrustSource trust;

    @Mixin
    CertificateIdentityOptions certificate = new CertificateIdentityOptions();

    @Option(names = "--trusted-root", paramLabel = "FILE", description = {"The Sigstore trusted_root.json that keyless signatures must chain to",
            "(required with --certificate-identity; nothing is fetched)."})
    Path trustedRoot;

    static final class TrustSource {
        @Option(names = "--key", paramLabel = "FILE|env://VAR", required = true,
                description = "Trusted public key (PKIX PEM or X.509 certificate), a file or env://VAR; repeatable.")
        List<String> keys;

        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "Trust policy file, JSON or YAML (see docs/policy.md).")
        Path policy;
    }

    @Option(names = "--threshold", paramLabel = "N", description = "How many distinct trusted keys or identities must have signed (overrides the policy).")
    Integer threshold;

    @Option(names = {"-a", "--annotation", "--annotations"}, paramLabel = "KEY=VALUE", description = "Annotation every counted signature must carry (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Option(names = "--identity", paramLabel = "RULE", description = "same-repository (default), exact-reference or ignore (overrides the policy).")
    String identity;

    @Option(names = "--signature-repository", paramLabel = "REPO", description = "Read signatures from this repository instead of the image's own. Default: $COSIGN_REPOSITORY, as cosign.")
    String signatureRepository;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = {"Verify the manifest a runtime on this platform pulls, e.g. linux/arm64: an image index is resolved to the",
                    "manifest it lists for the platform (an error, exit 1, when it has none); a single image must be for that platform."})
    String platform;

    @Option(names = "--require-all-platforms", description = {"Verifying an image index also verifies every platform manifest it lists;",
            "trusted only when each is (the policy option requireAllPlatforms)."})
    boolean requireAllPlatforms;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = {"text (default): one line per image (-v: and one per signature); json: one document (schema in docs/cli.md);",
                    "cosign: per trusted image, one line with the JSON array of signed payloads that cosign verify prints."})
    String output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references (tag or digest).")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        String format = output.strip().toLowerCase(Locale.ROOT);
        if (!VerifyOutput.FORMATS.contains(format)) {
            throw new CliUsageException("--output is 'text', 'json' or 'cosign', not '" + output + "'");
        }
        Platform selected;
        try {
            selected = platform == null ? null : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--platform: " + e.getMessage());
        }
        cosign.noteIgnored(context);
        TrustPolicy policy = policy();
        ImageVerifier verifier = ImageVerifier.builder()
                .platform(selected)
                .registry(common.registry(context))
                .policy(policy)
                .listener(common.listener(context))
                .signatureRepository(CosignSpellings.signatureRepository(signatureRepository, context))
                .build();
        VerifyOutput out = new VerifyOutput(format, context, common.verbose);
        int exit = ImageBatch.run(context, images, common.quiet, text -> {
            VerificationReport report = verifier.verify(ImageReference.parse(text));
            out.report(report);
            if (report.trusted()) {
                return ExitCodes.OK;
            }
            if (policy.mode() == EnforcementMode.WARN) {
                context.err().println("WARNING: " + text + " is not trusted; mode is warn, so this does not fail");
                return ExitCodes.OK;
            }
            return ExitCodes.NOT_TRUSTED;
        }, out::error);
        out.finish();
        return exit;
    }

    private TrustPolicy policy() throws Exception {
        Optional<SignerPolicy.CertificateIdentity> keyless = certificate.certificateIdentity("--key or --policy");
        if (trust == null && keyless.isEmpty()) {
            throw new CliUsageException("give --key FILE, --policy FILE, or --certificate-identity with --certificate-oidc-issuer and --trusted-root");
        }
        if (keyless.isPresent() && trustedRoot == null) {
            throw new CliUsageException("--certificate-identity needs --trusted-root FILE, the trusted_root.json its certificates must chain to"
                    + " (nothing is fetched)");
        }
        if (keyless.isEmpty() && trustedRoot != null) {
            throw new CliUsageException("--trusted-root is for keyless signatures: give --certificate-identity and --certificate-oidc-issuer too");
        }
        TrustPolicy.Builder builder;
        if (trust == null) {
            builder = TrustPolicy.builder();
        } else if (trust.policy != null) {
            builder = PolicyFiles.read(trust.policy).toBuilder();
        } else {
            builder = TrustPolicy.builder();
            for (String key : trust.keys) {
                try {
                    builder.key(TrustedKey.builder(KeyReferences.name(key),
                            PublicKeys.parse(new String(KeyReferences.read(context, key), StandardCharsets.US_ASCII))).build());
                } catch (KeyException e) {
                    throw new KeyException(key + ": " + e.getMessage(), e);
                }
            }
        }
        if (keyless.isPresent()) {
            builder.identity(TrustedIdentity.builder(certificate.name(), keyless.get(), trustedRoot.getFileName().toString(),
                    CertificateIdentityOptions.readTrustedRoot(trustedRoot)).build());
        }
        if (threshold != null) {
            builder.threshold(threshold);
        }
        builder.requiredAnnotations(annotations);
        if (requireAllPlatforms) {
            builder.requireAllPlatforms(true);
        }
        if (identity != null) {
            try {
                builder.identity(IdentityRule.fromId(identity));
            } catch (IllegalArgumentException e) {
                throw new CliUsageException(e.getMessage());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }
    }
}
