package io.jenkins.plugins.imagetrust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.verify.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code verify --output cosign}: what {@code cosign verify} prints for a verified image, a JSON array with one
 * simple-signing payload per good signature ({@code critical.identity.docker-reference},
 * {@code critical.image.docker-manifest-digest}, {@code critical.type}, {@code optional} = the annotations), so that
 * scripts written around cosign's output keep working. The same signing stored in both formats appears once.
 */
final class CosignOutput {
    static final String PAYLOAD_TYPE = "cosign container image signature";

    private CosignOutput() {
    }

    static ArrayNode payloads(VerificationReport report) {
        ObjectMapper json = JsonMappers.lenient();
        ArrayNode array = json.createArrayNode();
        Set<ObjectNode> seen = new LinkedHashSet<>();
        for (SignatureCheck check : report.signatures()) {
            boolean good = check.counted() || check.reason().filter(r -> r == RejectionReason.DUPLICATE_KEY).isPresent();
            if (!good) {
                continue;
            }
            ObjectNode payload = json.createObjectNode();
            ObjectNode critical = payload.putObject("critical");
            critical.putObject("identity").put("docker-reference", report.image().repositoryOnly().toString());
            critical.putObject("image").put("docker-manifest-digest", report.digest().toString());
            critical.put("type", PAYLOAD_TYPE);
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
