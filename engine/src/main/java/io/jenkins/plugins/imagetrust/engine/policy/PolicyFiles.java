package io.jenkins.plugins.imagetrust.engine.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.files.FileErrors;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes trust policies as JSON or YAML (the format is documented in {@code docs/policy.md}).
 * Reading is strict: an unknown field is an error, so a typo such as {@code treshold} cannot silently weaken a
 * policy, and a duplicated field is an error, so two readers cannot see two policies in one file.
 */
public final class PolicyFiles {
    /** Policy files are small; a larger one is a mistake or an attack. */
    public static final int MAX_POLICY_BYTES = 1 << 20;
    private static final int FORMAT_VERSION = 1;
    private static final Set<String> TOP_FIELDS = Set.of("version", "mode", "threshold", "identity", "requiredAnnotations", "requireAllPlatforms",
            "keys", "requiredAttestations");
    private static final Set<String> KEY_FIELDS = Set.of("name", "id", "publicKey", "publicKeyFile", "scheme", "notBefore", "notAfter", "revoked");

    private PolicyFiles() {
    }

    /** Reads a policy file; {@code publicKeyFile} entries resolve against the file's folder. */
    public static TrustPolicy read(Path file) throws PolicyException {
        try {
            if (Files.size(file) > MAX_POLICY_BYTES) {
                throw new PolicyException("policy file " + file + " is larger than " + MAX_POLICY_BYTES + " bytes");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toAbsolutePath().getParent(), file.toString());
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + FileErrors.describe(e), e);
        }
    }

    /** Parses JSON or YAML policy text. {@code baseDir} resolves {@code publicKeyFile}; null forbids it. */
    public static TrustPolicy parse(String text, Path baseDir) throws PolicyException {
        return parse(text, baseDir, "policy");
    }

    /** As above; {@code source} names the text in a syntax error, compiler-style: {@code source:line:column: problem}. */
    private static TrustPolicy parse(String text, Path baseDir, String source) throws PolicyException {
        if (text.length() > MAX_POLICY_BYTES) {
            throw new PolicyException("policy text is larger than " + MAX_POLICY_BYTES + " characters");
        }
        JsonNode root;
        try {
            root = mapperFor(text).readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyException(syntaxError(source, e));
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("policy must be an object with 'keys' and optional 'threshold', 'mode', 'identity', 'requiredAnnotations'");
        }
        rejectUnknown(root, TOP_FIELDS, "policy");
        if (root.has("version") && root.get("version").asInt(-1) != FORMAT_VERSION) {
            throw new PolicyException("policy 'version' must be " + FORMAT_VERSION + ", not " + root.get("version"));
        }
        TrustPolicy.Builder builder = TrustPolicy.builder();
        try {
            if (root.has("mode")) {
                builder.mode(EnforcementMode.fromId(text(root, "mode", "policy")));
            }
            if (root.has("identity")) {
                builder.identity(IdentityRule.fromId(text(root, "identity", "policy")));
            }
        } catch (IllegalArgumentException e) {
            throw new PolicyException("policy: " + e.getMessage(), e);
        }
        if (root.has("threshold")) {
            JsonNode threshold = root.get("threshold");
            if (!threshold.canConvertToInt() || !threshold.isIntegralNumber()) {
                throw new PolicyException("policy 'threshold' must be a whole number, not " + threshold);
            }
            builder.threshold(threshold.intValue());
        }
        if (root.has("requireAllPlatforms")) {
            JsonNode all = root.get("requireAllPlatforms");
            if (!all.isBoolean()) {
                throw new PolicyException("policy 'requireAllPlatforms' must be true or false, not " + all);
            }
            builder.requireAllPlatforms(all.booleanValue());
        }
        JsonNode annotations = root.get("requiredAnnotations");
        if (annotations != null && !annotations.isNull()) {
            if (!annotations.isObject()) {
                throw new PolicyException("policy 'requiredAnnotations' must be a map of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    throw new PolicyException("required annotation '" + entry.getKey() + "' must have a string value");
                }
                builder.requiredAnnotation(entry.getKey(), entry.getValue().asText());
            }
        }
        JsonNode attestations = root.get("requiredAttestations");
        if (attestations != null && !attestations.isNull()) {
            if (!attestations.isArray()) {
                throw new PolicyException("policy 'requiredAttestations' must be a list of requirements");
            }
            builder.requiredAttestations((ArrayNode) attestations); // judged by the attestation package (AttestationRequirement.of)
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw new PolicyException("policy 'keys' must list at least one trusted key");
        }
        int index = 0;
        for (JsonNode key : keys) {
            builder.key(trustedKey(key, index++, baseDir));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new PolicyException("policy: " + e.getMessage(), e);
        }
    }

    private static TrustedKey trustedKey(JsonNode node, int index, Path baseDir) throws PolicyException {
        String where = "keys[" + index + "]";
        if (!node.isObject()) {
            throw new PolicyException(where + " must be an object with 'name' and 'publicKey'");
        }
        rejectUnknown(node, KEY_FIELDS, where);
        String name = text(node, "name", where);
        where = where + " ('" + name + "')";
        String pem;
        if (node.has("publicKey") == node.has("publicKeyFile")) {
            throw new PolicyException(where + " needs exactly one of 'publicKey' (PEM text) and 'publicKeyFile'");
        } else if (node.has("publicKey")) {
            pem = text(node, "publicKey", where);
        } else {
            if (baseDir == null) {
                throw new PolicyException(where + ": 'publicKeyFile' is not allowed here; give the PEM as 'publicKey'");
            }
            Path file = baseDir.resolve(text(node, "publicKeyFile", where));
            try {
                pem = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new PolicyException(where + ": cannot read publicKeyFile " + file + ": " + FileErrors.describe(e), e);
            }
        }
        PublicKey publicKey;
        try {
            publicKey = PublicKeys.parse(pem);
        } catch (KeyException e) {
            throw new PolicyException(where + ": " + e.getMessage(), e);
        }
        TrustedKey.Builder builder = TrustedKey.builder(name, publicKey);
        if (node.has("scheme")) {
            try {
                builder.scheme(SignatureScheme.valueOf(text(node, "scheme", where).toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(where + ": unknown 'scheme' (expected ecdsa-sha256, rsa-pkcs1-sha256, rsa-pss-sha256 or ed25519)", e);
            }
        }
        if (node.has("notBefore")) {
            builder.notBefore(time(node, "notBefore", where));
        }
        if (node.has("notAfter")) {
            builder.notAfter(time(node, "notAfter", where));
        }
        if (node.has("revoked")) {
            JsonNode revoked = node.get("revoked");
            if (!revoked.isBoolean()) {
                throw new PolicyException(where + ": 'revoked' must be true or false");
            }
            builder.revoked(revoked.booleanValue());
        }
        TrustedKey key;
        try {
            key = builder.build();
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + ": " + e.getMessage(), e);
        }
        if (node.has("id") && !text(node, "id", where).equals(key.id().hex())) {
            throw new PolicyException(where + ": 'id' " + node.get("id").asText() + " does not match the public key, whose id is " + key.id());
        }
        return key;
    }

    /** A validity bound: a date or an RFC 3339 instant, as {@link TrustedKey#parseTime} reads them. */
    private static Instant time(JsonNode node, String field, String where) throws PolicyException {
        try {
            return TrustedKey.parseTime(text(node, field, where));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + ": " + field + " " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String where) throws PolicyException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new PolicyException(where + " '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String where) throws PolicyException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new PolicyException(where + ": unknown field '" + name + "' (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    /**
     * One line, {@code source:line:column: problem (not valid JSON or YAML)}. SnakeYAML's own message spans many lines
     * with the context quoted twice; its problem and mark are what a person needs. No cause is chained, so that
     * nothing prints the long form again.
     */
    private static String syntaxError(String source, JsonProcessingException e) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        String problem = e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            problem = yaml.getProblem();
            if (yaml.getProblemMark() != null) {
                line = yaml.getProblemMark().getLine() + 1;
                column = yaml.getProblemMark().getColumn() + 1;
            }
        }
        problem = problem == null ? "syntax error" : problem.strip().replaceAll("\\s*\\R\\s*", " ");
        return source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem + " (not valid JSON or YAML)";
    }

    private static ObjectMapper mapperFor(String text) {
        return text.stripLeading().startsWith("{") ? JsonMappers.noDuplicateKeys() : JsonMappers.yamlNoDuplicateKeys();
    }

    /** The policy as a JSON tree, in the documented file format. */
    public static ObjectNode toTree(TrustPolicy policy) {
        ObjectMapper mapper = JsonMappers.lenient();
        ObjectNode root = mapper.createObjectNode();
        root.put("version", FORMAT_VERSION);
        root.put("mode", policy.mode().id());
        root.put("threshold", policy.threshold());
        root.put("identity", policy.identity().id());
        root.put("requireAllPlatforms", policy.requireAllPlatforms());
        ObjectNode annotations = root.putObject("requiredAnnotations");
        policy.requiredAnnotations().forEach(annotations::put);
        ArrayNode keys = root.putArray("keys");
        for (TrustedKey key : policy.keys()) {
            ObjectNode k = keys.addObject();
            k.put("name", key.name());
            k.put("id", key.id().hex());
            k.put("publicKey", PublicKeys.toPem(key.publicKey()));
            k.put("scheme", key.scheme().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            key.notBefore().ifPresent(t -> k.put("notBefore", t.toString()));
            key.notAfter().ifPresent(t -> k.put("notAfter", t.toString()));
            k.put("revoked", key.revoked());
        }
        if (!policy.requiredAttestations().isEmpty()) {
            root.set("requiredAttestations", policy.requiredAttestations());
        }
        return root;
    }

    public static String toJson(TrustPolicy policy) {
        try {
            return JsonMappers.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(toTree(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toYaml(TrustPolicy policy) {
        try {
            return JsonMappers.yamlWriter().writeValueAsString(toTree(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
