package io.jenkins.plugins.imagetrust.engine.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.files.FileErrors;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
            "keys", "trustedIdentities", "trustedRoots", "requiredAttestations");
    private static final Set<String> IDENTITY_FIELDS = Set.of("name", "issuer", "issuerRegExp", "subject", "subjectRegExp", "trustedRoot",
            "extensions", "notBefore", "notAfter", "revoked");
    private static final Set<String> KEY_FIELDS = Set.of("name", "id", "publicKey", "publicKeyFile", "scheme", "notBefore", "notAfter", "revoked");

    private PolicyFiles() {
    }

    /** Reads a policy file; {@code publicKeyFile} entries resolve against the file's folder. */
    public static TrustPolicy read(Path file) throws PolicyException {
        try {
            byte[] bytes = CappedRead.file(file, MAX_POLICY_BYTES, "policy file");
            return parse(new String(bytes, StandardCharsets.UTF_8), file.toAbsolutePath().getParent(), file.toString());
        } catch (CappedRead.TooLargeException e) {
            throw new PolicyException(e.getMessage(), e);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + FileErrors.describe(e), e);
        }
    }

    /** Parses JSON or YAML policy text. {@code baseDir} resolves {@code publicKeyFile} and {@code trustedRoots}; null forbids them. */
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
        JsonNode identities = root.get("trustedIdentities");
        if (keys == null && identities == null) {
            throw new PolicyException("policy 'keys' must list at least one trusted key (or 'trustedIdentities' one trusted identity)");
        }
        if (keys != null && (!keys.isArray() || keys.isEmpty() && identities == null)) {
            throw new PolicyException("policy 'keys' must list at least one trusted key");
        }
        int index = 0;
        for (JsonNode key : keys == null ? List.<JsonNode>of() : keys) {
            builder.key(trustedKey(key, index++, baseDir));
        }
        if (identities != null) {
            if (!identities.isArray() || identities.isEmpty()) {
                throw new PolicyException("policy 'trustedIdentities' must list at least one trusted identity");
            }
            Map<String, TrustedRoot> roots = trustedRoots(root.get("trustedRoots"), baseDir);
            index = 0;
            for (JsonNode identity : identities) {
                builder.identity(trustedIdentity(identity, index++, roots));
            }
        } else if (root.has("trustedRoots")) {
            throw new PolicyException("policy 'trustedRoots' is set but no 'trustedIdentities' use them");
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
                pem = new String(CappedRead.file(file, PublicKeys.MAX_PEM_BYTES, "publicKeyFile"), StandardCharsets.US_ASCII);
            } catch (CappedRead.TooLargeException e) {
                throw new PolicyException(where + ": " + e.getMessage(), e);
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
            builder.revoked(bool(node, "revoked", where));
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

    /** {@code trustedRoots: {name: path}}, each a {@code trusted_root.json} relative to the policy file's folder. */
    private static Map<String, TrustedRoot> trustedRoots(JsonNode node, Path baseDir) throws PolicyException {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new PolicyException("policy 'trustedRoots' must map at least one name to a trusted_root.json file");
        }
        if (baseDir == null) {
            throw new PolicyException("policy 'trustedRoots' is not allowed here (no folder to read the files from)");
        }
        Map<String, TrustedRoot> roots = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = "trustedRoots." + entry.getKey();
            if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw new PolicyException(where + " must be the path of a trusted_root.json file");
            }
            Path file = baseDir.resolve(entry.getValue().asText());
            try {
                roots.put(entry.getKey(), TrustedRoot.parse(CappedRead.file(file, TrustedRoot.MAX_BYTES, "trusted root")));
            } catch (CappedRead.TooLargeException e) {
                throw new PolicyException(where + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new PolicyException(where + ": cannot read " + file + ": " + FileErrors.describe(e), e);
            } catch (SigstoreException e) {
                throw new PolicyException(where + ": " + file + ": " + e.getMessage(), e);
            }
        }
        return roots;
    }

    private static TrustedIdentity trustedIdentity(JsonNode node, int index, Map<String, TrustedRoot> roots) throws PolicyException {
        String where = "trustedIdentities[" + index + "]";
        if (!node.isObject()) {
            throw new PolicyException(where + " must be an object with 'name', 'issuer', 'subject' and 'trustedRoot'");
        }
        rejectUnknown(node, IDENTITY_FIELDS, where);
        String name = text(node, "name", where);
        where = where + " ('" + name + "')";
        SignerPolicy.Matcher subject = matcher(node, "subject", where);
        SignerPolicy.Matcher issuer = matcher(node, "issuer", where);
        Map<String, SignerPolicy.Matcher> extensions = new LinkedHashMap<>();
        JsonNode rules = node.get("extensions");
        if (rules != null) {
            if (!rules.isObject()) {
                throw new PolicyException(where + ": 'extensions' must map Fulcio extension names to the values they must have");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = rules.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> rule = it.next();
                if (!rule.getValue().isTextual()) {
                    throw new PolicyException(where + ": 'extensions." + rule.getKey() + "' must be a string");
                }
                extensions.put(rule.getKey(), SignerPolicy.Matcher.exact(rule.getValue().asText()));
            }
        }
        String rootName = text(node, "trustedRoot", where);
        TrustedRoot root = roots.get(rootName);
        if (root == null) {
            throw new PolicyException(where + ": 'trustedRoot' '" + rootName + "' is not in 'trustedRoots' (" + roots.keySet() + ")");
        }
        try {
            TrustedIdentity.Builder builder = TrustedIdentity.builder(name, new SignerPolicy.CertificateIdentity(subject, issuer, extensions),
                    rootName, root);
            if (node.has("notBefore")) {
                builder.notBefore(time(node, "notBefore", where));
            }
            if (node.has("notAfter")) {
                builder.notAfter(time(node, "notAfter", where));
            }
            if (node.has("revoked")) {
                builder.revoked(bool(node, "revoked", where));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + ": " + e.getMessage(), e);
        }
    }

    /** Exactly one of {@code field} (exact) and {@code fieldRegExp} (a regular expression matching the whole value). */
    private static SignerPolicy.Matcher matcher(JsonNode node, String field, String where) throws PolicyException {
        String regExp = field + "RegExp";
        if (node.has(field) == node.has(regExp)) {
            throw new PolicyException(where + " needs exactly one of '" + field + "' and '" + regExp + "'");
        }
        if (node.has(field)) {
            return SignerPolicy.Matcher.exact(text(node, field, where));
        }
        try {
            return SignerPolicy.Matcher.regex(text(node, regExp, where));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + ": '" + regExp + "' " + e.getMessage(), e);
        }
    }

    private static boolean bool(JsonNode node, String field, String where) throws PolicyException {
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new PolicyException(where + ": '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** A validity bound: a date or an RFC 3339 instant, as {@link ValidityWindow#parseTime} reads them. */
    private static Instant time(JsonNode node, String field, String where) throws PolicyException {
        try {
            return ValidityWindow.parseTime(text(node, field, where));
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
        if (!policy.identities().isEmpty()) {
            // The roots are named, not embedded: whoever reads the tree back supplies 'trustedRoots'.
            ArrayNode identities = root.putArray("trustedIdentities");
            for (TrustedIdentity identity : policy.identities()) {
                ObjectNode i = identities.addObject();
                i.put("name", identity.name());
                matcherField(i, "subject", identity.identity().subject());
                matcherField(i, "issuer", identity.identity().issuer());
                if (!identity.identity().extensions().isEmpty()) {
                    ObjectNode extensions = i.putObject("extensions");
                    identity.identity().extensions().forEach((name, m) -> extensions.put(name, m.text()));
                }
                i.put("trustedRoot", identity.trustedRootName());
                identity.notBefore().ifPresent(t -> i.put("notBefore", t.toString()));
                identity.notAfter().ifPresent(t -> i.put("notAfter", t.toString()));
                i.put("revoked", identity.revoked());
            }
        }
        if (!policy.requiredAttestations().isEmpty()) {
            root.set("requiredAttestations", policy.requiredAttestations());
        }
        return root;
    }

    private static void matcherField(ObjectNode node, String field, SignerPolicy.Matcher matcher) {
        node.put(matcher.regex() ? field + "RegExp" : field, matcher.text());
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
