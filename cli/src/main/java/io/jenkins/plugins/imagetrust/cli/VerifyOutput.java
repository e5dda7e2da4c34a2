package io.jenkins.plugins.imagetrust.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code verify} prints, in each {@code --output} format: {@code text} (one line per image; {@code -v} adds one per
 * signature), {@code json} (one document at the end whose entries, results and errors alike, are the engine's JSON
 * form, schema in docs/cli.md) and {@code cosign} (per trusted image, the JSON array of signed payloads that
 * {@code cosign verify} prints, so that scripts written around cosign's output keep working).
 */
final class VerifyOutput {
    static final List<String> FORMATS = List.of("text", "json", "cosign");
    static final String COSIGN_PAYLOAD_TYPE = "cosign container image signature";

    private final String format;
    private final CliContext context;
    private final boolean verbose;
    private final ObjectMapper json = JsonMappers.lenient();
    private final ArrayNode results = json.createArrayNode();

    /** @param format one of {@link #FORMATS} */
    VerifyOutput(String format, CliContext context, boolean verbose) {
        this.format = format;
        this.context = context;
        this.verbose = verbose;
    }

    /** One image verified (trusted or not). */
    void report(VerificationReport report) throws JsonProcessingException {
        results.add(report.toJsonTree());
        if (format.equals("text")) {
            printText(report);
        } else if (format.equals("cosign")) {
            if (report.trusted()) {
                context.out().println(json.writeValueAsString(cosignPayloads(report)));
            } else {
                context.err().println(report.summary());
            }
        }
    }

    /** One image that could not be verified at all (the batch prints the message on stderr). */
    void error(String image, String message) {
        results.add(VerificationReport.errorJsonTree(image, message));
    }

    /** Prints what is printed once, at the end: the JSON document. */
    void finish() throws JsonProcessingException {
        if (format.equals("json")) {
            context.out().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(VerificationReport.resultsJsonTree(results)));
        }
        context.out().flush();
    }

    /** One line per image; with -v also one per signature found. */
    private void printText(VerificationReport report) {
        context.out().println(report.summary());
        if (!verbose) {
            return;
        }
        printSignatures(report, "  ");
        for (VerificationReport listed : report.platformReports()) {
            context.out().println("  platform " + listed.platform().map(Platform::toString).orElse("unknown") + ": " + listed.summary());
            printSignatures(listed, "    ");
        }
    }

    private void printSignatures(VerificationReport report, String indent) {
        for (SignatureCheck check : report.signatures()) {
            boolean copy = isCopyOfCounted(check);
            context.out().println(indent + outcome(check) + "  " + check.format().id() + "  " + check.source()
                    + check.keyId().map(id -> "  key " + id.shortForm()).orElse("")
                    + (copy ? "" : check.reason().map(r -> "  " + r.name()).orElse(""))
                    + "  " + (copy ? "the same key's signature in the other format; the key counts once" : check.detail()));
        }
    }

    /** A good signature by a key or identity already counted, e.g. the bundle beside the {@code .sig} of the same signing. */
    private static boolean isCopyOfCounted(SignatureCheck check) {
        return check.reason().filter(RejectionReason::isDuplicate).isPresent();
    }

    /** {@code counted}, {@code valid} (a copy of a counted key's signature), or {@code rejected}. */
    private static String outcome(SignatureCheck check) {
        if (check.counted()) {
            return "counted ";
        }
        return isCopyOfCounted(check) ? "valid   " : "rejected";
    }

    /**
     * One simple-signing payload per good signature ({@code critical.identity.docker-reference},
     * {@code critical.image.docker-manifest-digest}, {@code critical.type}, {@code optional} = the annotations). The
     * same signing stored in both formats appears once.
     */
    private ArrayNode cosignPayloads(VerificationReport report) {
        ArrayNode array = json.createArrayNode();
        Set<ObjectNode> seen = new LinkedHashSet<>();
        for (SignatureCheck check : report.signatures()) {
            if (!check.counted() && !isCopyOfCounted(check)) {
                continue;
            }
            ObjectNode payload = json.createObjectNode();
            ObjectNode critical = payload.putObject("critical");
            critical.putObject("identity").put("docker-reference", report.image().repositoryOnly().toString());
            critical.putObject("image").put("docker-manifest-digest", report.digest().toString());
            critical.put("type", COSIGN_PAYLOAD_TYPE);
            if (check.annotations().isEmpty()) {
                payload.putNull("optional");
            } else {
                ObjectNode optional = payload.putObject("optional");
                check.annotations().forEach(optional::put);
            }
            if (seen.add(payload)) {
                array.add(payload);
            }
        }
        return array;
    }
}
