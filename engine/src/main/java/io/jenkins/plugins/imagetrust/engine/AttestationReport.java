package io.jenkins.plugins.imagetrust.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationEvaluation;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationFinding;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationOutcome;
import io.jenkins.plugins.imagetrust.engine.attestation.RejectedAttestation;
import io.jenkins.plugins.imagetrust.engine.attestation.RequirementResult;
import io.jenkins.plugins.imagetrust.engine.attestation.VerifiedAttestation;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.List;
import java.util.Objects;

/**
 * The attestations of one image digest judged against required attestations ({@link AttestationVerification}).
 *
 * @param image the reference verified
 * @param digest the manifest digest whose attestations were read
 * @param found every attestation found, in every storage format, with its outcome (verified, or rejected with why)
 * @param evaluation the requirements judged against the verified ones
 */
public record AttestationReport(ImageReference image, Digest digest, List<Found> found, AttestationEvaluation evaluation) {
    /** One attestation as found: where, in which format, and its outcome. */
    public record Found(SignatureFormat format, String source, AttestationOutcome outcome) {
        public Found {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    public AttestationReport {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(digest, "digest");
        found = List.copyOf(found);
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** Whether every requirement is satisfied. */
    public boolean satisfied() {
        return evaluation.satisfied();
    }

    /** The attestations that verified (of a predicate type asked for, about this digest, under a usable trusted key). */
    public List<VerifiedAttestation> verified() {
        return found.stream().map(Found::outcome).filter(VerifiedAttestation.class::isInstance).map(VerifiedAttestation.class::cast).toList();
    }

    /** One line: satisfied or the first failed requirement's reason and detail. */
    public String summary() {
        String pinned = image.repositoryOnly().withDigest(digest).pinned();
        return evaluation.results().stream().filter(result -> !result.satisfied()).findFirst()
                .map(result -> pinned + ": required attestation " + result.requirement().predicateType() + " missing: "
                        + result.reason().map(Enum::name).orElse("") + " (" + result.detail() + ")")
                .orElse(pinned + ": every required attestation verified (" + verified().size() + " verified)");
    }

    /**
     * The JSON form ({@code docs/cli.md}): {@code image}, {@code digest}, {@code satisfied}, {@code requirements} (each
     * with {@code predicateType}, {@code satisfied}, {@code reason}, {@code detail}, {@code countedKeys}, {@code findings}),
     * {@code attestations} (each found one: {@code format}, {@code source}, {@code verified}, and either
     * {@code predicateType}, {@code keyIds}, {@code statement} — the verified statement — or {@code reason} and {@code detail}).
     */
    public ObjectNode toJsonTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("image", image.toString());
        root.put("digest", digest.toString());
        root.put("satisfied", satisfied());
        ArrayNode requirements = root.putArray("requirements");
        for (RequirementResult result : evaluation.results()) {
            ObjectNode node = requirements.addObject();
            node.put("predicateType", result.requirement().predicateType());
            node.put("satisfied", result.satisfied());
            result.reason().ifPresent(reason -> node.put("reason", reason.name()));
            node.put("detail", result.detail());
            ArrayNode keys = node.putArray("countedKeys");
            result.countedKeys().forEach(key -> keys.add(key.toString()));
            ArrayNode findings = node.putArray("findings");
            for (AttestationFinding finding : result.findings()) {
                ObjectNode f = findings.addObject();
                f.put("counted", finding.counted());
                ArrayNode ids = f.putArray("keyIds");
                finding.attestation().keyIds().forEach(id -> ids.add(id.toString()));
                finding.reason().ifPresent(reason -> f.put("reason", reason.name()));
                f.put("detail", finding.detail());
            }
        }
        ArrayNode attestations = root.putArray("attestations");
        for (Found one : found) {
            ObjectNode node = attestations.addObject();
            node.put("format", one.format().id());
            node.put("source", one.source());
            node.put("verified", one.outcome().verified());
            if (one.outcome() instanceof VerifiedAttestation verified) {
                node.put("predicateType", verified.predicateType());
                ArrayNode ids = node.putArray("keyIds");
                verified.keyIds().stream().map(KeyId::toString).forEach(ids::add);
                node.set("statement", verified.statement().toJsonTree());
            } else {
                RejectedAttestation rejected = (RejectedAttestation) one.outcome();
                node.put("reason", rejected.reason().name());
                node.put("detail", rejected.detail());
                rejected.predicateType().ifPresent(type -> node.put("predicateType", type));
                rejected.keyId().ifPresent(id -> node.put("keyId", id.toString()));
            }
        }
        return root;
    }
}
