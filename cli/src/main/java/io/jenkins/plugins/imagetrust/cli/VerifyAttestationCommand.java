package io.jenkins.plugins.imagetrust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.AttestationReport;
import io.jenkins.plugins.imagetrust.engine.AttestationVerification;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.attestation.RequirementResult;
import io.jenkins.plugins.imagetrust.engine.attestation.VerifiedAttestation;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyFiles;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust verify-attestation}: check images' attestations against trusted keys or a policy's requiredAttestations. */
@Command(name = "verify-attestation", description = {"Verify each image's attestations (the sha256-<hex>.att tag and Sigstore bundles",
        "attached as OCI referrers, both read automatically): each must be signed by a trusted key, be an in-toto statement about the",
        "image's digest, of the predicate type asked for. Prints the verified statements, one JSON document per line (text), or one",
        "report (json). Exit 0 when every requirement is met for every image, 3 when one is not (warn mode: 0), 1 on errors."})
final class VerifyAttestationCommand extends ContextCommand {
    private static final List<String> FORMATS = List.of("text", "json");

    @Mixin
    CommonOptions common = new CommonOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    TrustSource trust;

    static final class TrustSource {
        @Option(names = "--key", paramLabel = "FILE|env://VAR", required = true,
                description = "Trusted public key (PKIX PEM or X.509 certificate), a file or env://VAR; repeatable.")
        List<String> keys;

        @Option(names = "--policy", paramLabel = "FILE", required = true,
                description = "Trust policy file, JSON or YAML: its keys, and its requiredAttestations unless --type is given (docs/policy.md).")
        Path policy;
    }

    @Option(names = "--type", paramLabel = "TYPE",
            description = {"The predicate type required (slsaprovenance1, spdxjson, cyclonedx, … or a URI); repeatable. Required with --key;",
                    "with --policy it replaces the policy's requiredAttestations."})
    List<String> types = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Verify the attestations of the manifest a runtime on this platform pulls.")
    String platform;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default): each verified statement as one JSON line, failures on stderr; json: one document (docs/cli.md).")
    String output;

    @Option(names = "--signature-repository", paramLabel = "REPO",
            description = "Read attestations from this repository instead of the image's own. Default: $COSIGN_REPOSITORY, as cosign.")
    String signatureRepository;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references (tag or digest).")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        String format = output.strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new CliUsageException("--output is 'text' or 'json', not '" + output + "'");
        }
        Platform selected;
        try {
            selected = platform == null ? null : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--platform: " + e.getMessage());
        }
        TrustPolicy policy = trust.policy != null ? PolicyFiles.read(trust.policy) : keysPolicy();
        List<AttestationRequirement> requirements = requirements(policy);
        AttestationVerification verification = AttestationVerification.builder()
                .registry(common.registry(context))
                .keys(policy.keys())
                .requirements(requirements)
                .platform(selected)
                .signatureRepository(CosignSpellings.signatureRepository(signatureRepository, context))
                .listener(common.listener(context))
                .build();
        ArrayNode reports = JsonNodeFactory.instance.arrayNode();
        int exit = ImageBatch.run(context, images, common.quiet, text -> {
            AttestationReport report = verification.verify(ImageReference.parse(text));
            if (format.equals("json")) {
                reports.add(report.toJsonTree());
            } else {
                for (VerifiedAttestation verified : report.verified()) {
                    context.out().println(JsonMappers.lenient().writeValueAsString(verified.statement().toJsonTree()));
                }
                for (RequirementResult result : report.evaluation().results()) {
                    if (!result.satisfied()) {
                        context.err().println(text + ": " + result.requirement().predicateType() + ": " + result.reason().map(Enum::name).orElse("")
                                + ": " + result.detail());
                    }
                }
            }
            if (report.satisfied()) {
                return ExitCodes.OK;
            }
            if (policy.mode() == EnforcementMode.WARN) {
                context.err().println("WARNING: " + text + " lacks a required attestation; mode is warn, so this does not fail");
                return ExitCodes.OK;
            }
            return ExitCodes.NOT_TRUSTED;
        }, (image, message) -> reports.add(errorTree(image, message)));
        if (format.equals("json")) {
            context.out().println(JsonMappers.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(reports));
        }
        return exit;
    }

    private static ObjectNode errorTree(String image, String message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("image", image);
        node.put("error", message);
        return node;
    }

    private List<AttestationRequirement> requirements(TrustPolicy policy) throws CliUsageException {
        try {
            if (!types.isEmpty()) {
                List<AttestationRequirement> out = new ArrayList<>();
                for (String type : types) {
                    out.add(AttestationRequirement.of(PredicateTypes.resolve(type)));
                }
                return out;
            }
            if (trust.policy == null) {
                throw new CliUsageException("--type: name the predicate type to require (with --key there is no policy to take it from)");
            }
            List<AttestationRequirement> fromPolicy = AttestationRequirement.of(policy);
            if (fromPolicy.isEmpty()) {
                throw new CliUsageException("--policy " + trust.policy + " has no requiredAttestations: add some, or give --type");
            }
            return fromPolicy;
        } catch (IllegalArgumentException e) {
            throw new CliUsageException((types.isEmpty() ? "--policy " + trust.policy + ": " : "--type: ") + e.getMessage());
        }
    }

    private TrustPolicy keysPolicy() throws Exception {
        TrustPolicy.Builder builder = TrustPolicy.builder();
        for (String key : trust.keys) {
            builder.key(KeyReferences.trustedKey(context, key));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }
    }
}
