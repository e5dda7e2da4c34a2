package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of a trust policy's {@code requiredAttestations}: attestations of {@code predicateType}, verified for the
 * image digest, signed by at least {@code threshold} distinct trusted keys (among {@code keys} when it names any), each
 * counted attestation satisfying every rule. docs/attestations.md has the file syntax.
 *
 * @param predicateType the predicate type URI (a cosign short name given to the constructor is resolved)
 * @param threshold how many distinct keys must have attested it, at least 1
 * @param keys names of trusted keys that may count; empty: any trusted key
 * @param rules field rules every counted attestation satisfies; only for SLSA provenance predicate types
 */
public record AttestationRequirement(String predicateType, int threshold, List<String> keys, List<PredicateRule> rules) {
    /** The policy file member holding the list. */
    public static final String POLICY_FIELD = "requiredAttestations";
    private static final String PREDICATE_TYPE = "predicateType";
    private static final String THRESHOLD = "threshold";
    private static final String KEYS = "keys";
    private static final List<String> RULE_FIELDS = PredicateRule.Field.policyNames();

    public AttestationRequirement {
        predicateType = PredicateTypes.resolve(predicateType);
        keys = List.copyOf(keys);
        rules = List.copyOf(rules);
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold " + threshold + " is below 1");
        }
        if (new HashSet<>(keys).size() != keys.size()) {
            throw new IllegalArgumentException("keys " + keys.stream().map(JsonText::quoted).toList() + " names a key twice");
        }
        if (!keys.isEmpty() && threshold > keys.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " can never be met by the " + keys.size() + " key(s) named");
        }
        if (!rules.isEmpty() && !SlsaFields.isProvenance(predicateType)) {
            throw new IllegalArgumentException("field rules (" + rules.get(0).field().policyName() + ") apply to SLSA provenance "
                    + "(slsaprovenance1, slsaprovenance02), not to " + JsonText.quoted(predicateType));
        }
    }

    /** A requirement for {@code predicateType} by any one trusted key, without rules. */
    public static AttestationRequirement of(String predicateType) {
        return new AttestationRequirement(predicateType, 1, List.of(), List.of());
    }

    /** The predicate types asked for by {@code requirements}: what to hand {@link AttestationVerifier}. */
    public static Set<String> predicateTypes(List<AttestationRequirement> requirements) {
        return requirements.stream().map(AttestationRequirement::predicateType).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Judges the verified attestations of the image against this requirement. Each attestation of this predicate type
     * is counted, or not with its reason ({@code KEY_NOT_ALLOWED}, a rule's mismatch reason, {@code DUPLICATE_KEY});
     * others are not looked at.
     */
    public RequirementResult evaluate(List<VerifiedAttestation> attestations) {
        Set<KeyId> counted = new LinkedHashSet<>();
        List<AttestationFinding> findings = new ArrayList<>();
        for (VerifiedAttestation attestation : attestations) {
            if (!predicateType.equals(attestation.predicateType())) {
                continue;
            }
            findings.add(judge(attestation, counted));
        }
        if (counted.size() >= threshold) {
            return new RequirementResult(this, true, List.copyOf(counted), findings, Optional.empty(),
                    counted.size() + " of " + threshold + " required key(s) attested " + predicateType);
        }
        AttestationReason reason = findings.isEmpty() ? AttestationReason.NO_ATTESTATION : AttestationReason.ATTESTATION_THRESHOLD_NOT_MET;
        String detail = findings.isEmpty() ? "no verified attestation of " + predicateType
                : counted.size() + " of " + threshold + " required key(s) attested " + predicateType + " (" + findings.size() + " verified, "
                        + findings.stream().filter(f -> !f.counted()).count() + " not counted)";
        return new RequirementResult(this, false, List.copyOf(counted), findings, Optional.of(reason), detail);
    }

    private AttestationFinding judge(VerifiedAttestation attestation, Set<KeyId> counted) {
        List<TrustedKey> allowed = attestation.signers().stream().filter(key -> keys.isEmpty() || keys.contains(key.name())).toList();
        if (allowed.isEmpty()) {
            return AttestationFinding.notCounted(attestation, AttestationReason.KEY_NOT_ALLOWED, "signed by " + labels(attestation.signers())
                    + "; the requirement counts only " + keys.stream().map(JsonText::quoted).toList());
        }
        JsonNode predicate = attestation.statement().predicate();
        for (PredicateRule rule : rules) {
            Optional<String> mismatch = rule.mismatch(predicateType, predicate);
            if (mismatch.isPresent()) {
                return AttestationFinding.notCounted(attestation, rule.reason(), rule.field().policyName() + ": " + mismatch.get());
            }
        }
        List<TrustedKey> fresh = allowed.stream().filter(key -> !counted.contains(key.id())).toList();
        if (fresh.isEmpty()) {
            return AttestationFinding.notCounted(attestation, AttestationReason.DUPLICATE_KEY, labels(allowed) + " already counted");
        }
        fresh.forEach(key -> counted.add(key.id()));
        return new AttestationFinding(attestation, true, Optional.empty(), "signed by " + labels(fresh));
    }

    private static String labels(List<TrustedKey> keys) {
        return keys.stream().map(TrustedKey::label).collect(Collectors.joining(", "));
    }

    /**
     * Reads a policy file's {@code requiredAttestations} (a JSON or YAML tree; absent or null: none). Strict, as the
     * rest of the policy file: an unknown or duplicated field, a key the policy does not trust, or a threshold that
     * can never be met is an error.
     *
     * @param trustedKeyNames the names of the policy's trusted keys
     * @throws IllegalArgumentException one line naming the bad field, e.g. {@code requiredAttestations[0].threshold: …}
     */
    public static List<AttestationRequirement> parse(JsonNode node, Set<String> trustedKeyNames) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(POLICY_FIELD + ": must be a list of requirements");
        }
        List<AttestationRequirement> requirements = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            requirements.add(parseOne(node.get(i), POLICY_FIELD + "[" + i + "]", trustedKeyNames));
        }
        return requirements;
    }

    /**
     * The {@code requiredAttestations} of a policy read from a file ({@link TrustPolicy#requiredAttestations()}), judged
     * against the policy's trusted keys as {@link #parse(JsonNode, Set)} does.
     *
     * @throws IllegalArgumentException one line naming the bad field
     */
    public static List<AttestationRequirement> of(TrustPolicy policy) {
        Set<String> names = new LinkedHashSet<>();
        policy.keys().forEach(key -> names.add(key.name()));
        return parse(policy.requiredAttestations(), names);
    }

    /** The same from plain Java values (maps, lists, strings, numbers), e.g. a policy read by another parser. */
    public static List<AttestationRequirement> parse(Object value, Set<String> trustedKeyNames) {
        return parse((JsonNode) JsonMappers.lenient().valueToTree(value), trustedKeyNames);
    }

    private static AttestationRequirement parseOne(JsonNode node, String where, Set<String> trustedKeyNames) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object with predicateType");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(PREDICATE_TYPE) && !name.equals(THRESHOLD) && !name.equals(KEYS) && !RULE_FIELDS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field " + JsonText.quoted(name) + " (known: predicateType, threshold, keys, "
                        + String.join(", ", RULE_FIELDS) + ")");
            }
        }
        JsonNode type = node.get(PREDICATE_TYPE);
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException(where + "." + PREDICATE_TYPE + ": required, a cosign type name or a URI");
        }
        int threshold = 1;
        JsonNode thresholdNode = node.get(THRESHOLD);
        if (thresholdNode != null) {
            if (!thresholdNode.isIntegralNumber() || !thresholdNode.canConvertToInt() || thresholdNode.intValue() < 1) {
                throw new IllegalArgumentException(where + "." + THRESHOLD + ": must be a whole number of at least 1, not " + thresholdNode);
            }
            threshold = thresholdNode.intValue();
        }
        List<String> keys = new ArrayList<>();
        JsonNode keysNode = node.get(KEYS);
        if (keysNode != null) {
            if (!keysNode.isArray()) {
                throw new IllegalArgumentException(where + "." + KEYS + ": must be a list of trusted key names");
            }
            for (JsonNode key : keysNode) {
                if (!key.isTextual()) {
                    throw new IllegalArgumentException(where + "." + KEYS + ": " + key + " is not a key name");
                }
                if (!trustedKeyNames.contains(key.asText())) {
                    throw new IllegalArgumentException(where + "." + KEYS + ": " + JsonText.quoted(key.asText()) + " is not a trusted key of this policy");
                }
                keys.add(key.asText());
            }
        }
        if (keys.isEmpty() && threshold > trustedKeyNames.size()) {
            throw new IllegalArgumentException(where + "." + THRESHOLD + ": " + threshold + " can never be met by the policy's "
                    + trustedKeyNames.size() + " trusted key(s)");
        }
        List<PredicateRule> rules = new ArrayList<>();
        for (String field : RULE_FIELDS) {
            JsonNode value = node.get(field);
            if (value != null) {
                if (!value.isTextual() || value.asText().isBlank()) {
                    throw new IllegalArgumentException(where + "." + field + ": must be a non-empty string");
                }
                try {
                    rules.add(new PredicateRule(PredicateRule.Field.byPolicyName(field).orElseThrow(), value.asText()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        try {
            return new AttestationRequirement(type.asText(), threshold, keys, rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** The list as a policy file holds it (the predicate type as its URI), for writing policies. */
    public static ArrayNode toJsonTree(List<AttestationRequirement> requirements) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (AttestationRequirement requirement : requirements) {
            ObjectNode node = array.addObject();
            node.put(PREDICATE_TYPE, requirement.predicateType());
            node.put(THRESHOLD, requirement.threshold());
            if (!requirement.keys().isEmpty()) {
                requirement.keys().forEach(node.putArray(KEYS)::add);
            }
            requirement.rules().forEach(rule -> node.put(rule.field().policyName(), rule.expected()));
        }
        return array;
    }
}
