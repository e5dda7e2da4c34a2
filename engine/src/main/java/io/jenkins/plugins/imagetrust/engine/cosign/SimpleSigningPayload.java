package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cosign "simple signing" payload: the document whose exact bytes are signed.
 *
 * <pre>{"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},
 *   "type":"cosign container image signature"},"optional":{…}|null}</pre>
 *
 * <p>We write what cosign writes: {@code docker-reference} is the repository without tag, and {@code optional}
 * is {@code null} when there are no annotations, else an object with the annotations sorted by key. Parsing is
 * strict, because the signature covers bytes and two readers must not see two meanings in them: duplicate
 * members, unknown members of {@code critical} and the capitalised {@code Docker-manifest-digest} (which Go's
 * case-insensitive decoder would accept) are all rejected.
 */
public final class SimpleSigningPayload {
    public static final String TYPE = "cosign container image signature";
    private static final Set<String> CRITICAL_MEMBERS = Set.of("identity", "image", "type");

    private final String dockerReference;
    private final Digest manifestDigest;
    private final Map<String, JsonNode> optional;

    private SimpleSigningPayload(String dockerReference, Digest manifestDigest, Map<String, JsonNode> optional) {
        this.dockerReference = dockerReference;
        this.manifestDigest = manifestDigest;
        this.optional = optional;
    }

    /** The bytes to sign for {@code digest} in {@code repository}, with string annotations in {@code optional}. */
    public static byte[] create(ImageReference repository, Digest digest, Map<String, String> annotations) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", repository.name());
        critical.putObject("image").put("docker-manifest-digest", digest.toString());
        critical.put("type", TYPE);
        if (annotations.isEmpty()) {
            root.putNull("optional");
        } else {
            ObjectNode optional = root.putObject("optional");
            new TreeMap<>(annotations).forEach(optional::put);
        }
        try {
            return StrictJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A legacy signature over {@code payload}, a simple-signing document: the signature is over the payload bytes as
     * they are, and what they claim is read only once it verified.
     */
    public static SignatureCandidate candidate(String source, Digest payloadDigest, byte[] payload, byte[] signature) {
        byte[] own = payload.clone();
        return SignatureCandidate.signed(SignatureFormat.LEGACY, source, payloadDigest, own, signature, image -> parse(own).claims(image));
    }

    /** What this payload claims about {@code image}, the digest being verified. */
    public Claims claims(Digest image) {
        return new Claims(manifestDigest().equals(image), "payload signs " + manifestDigest(), RejectionReason.DIGEST_MISMATCH,
                Optional.of(dockerReference()), annotations());
    }

    /**
     * Parses payload bytes that have already been verified against a signature. Throws
     * {@link MalformedSignatureException} with the precise {@link RejectionReason}.
     */
    public static SimpleSigningPayload parse(byte[] bytes) throws MalformedSignatureException {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "payload is not JSON: " + StrictJson.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "payload is not a JSON object");
        }
        JsonNode critical = root.get("critical");
        if (critical == null || !critical.isObject()) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "payload has no 'critical' object");
        }
        for (Iterator<String> names = critical.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CRITICAL_MEMBERS.contains(name)) {
                throw new MalformedSignatureException(RejectionReason.UNKNOWN_CRITICAL_MEMBER, "unknown member 'critical." + name + "'");
            }
        }
        JsonNode type = critical.get("type");
        if (type == null || !type.isTextual() || !TYPE.equals(type.asText())) {
            throw new MalformedSignatureException(RejectionReason.WRONG_TYPE, "critical.type is " + (type == null ? "missing" : type.toString()));
        }
        String reference = exactStringMember(critical, "identity", "docker-reference");
        String digestText = exactStringMember(critical, "image", "docker-manifest-digest");
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (InvalidReferenceException e) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "critical.image.docker-manifest-digest: " + e.getMessage());
        }
        Map<String, JsonNode> optional = new TreeMap<>();
        JsonNode optionalNode = root.get("optional");
        if (optionalNode != null && !optionalNode.isNull()) {
            if (!optionalNode.isObject()) {
                throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "'optional' is neither an object nor null");
            }
            optionalNode.fields().forEachRemaining(e -> optional.put(e.getKey(), e.getValue()));
        }
        return new SimpleSigningPayload(reference, digest, optional);
    }

    /** Reads {@code critical.<object>.<member>}, which must be an object with exactly that one string member. */
    private static String exactStringMember(JsonNode critical, String object, String member) throws MalformedSignatureException {
        JsonNode node = critical.get(object);
        if (node == null || !node.isObject()) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "payload has no 'critical." + object + "' object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(member)) {
                String hint = name.equalsIgnoreCase(member) ? " (member names are case-sensitive; write '" + member + "')" : "";
                throw new MalformedSignatureException(RejectionReason.UNKNOWN_CRITICAL_MEMBER,
                        "unknown member 'critical." + object + "." + name + "'" + hint);
            }
        }
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new MalformedSignatureException(RejectionReason.MALFORMED_PAYLOAD, "critical." + object + "." + member + " is missing or not a string");
        }
        return value.asText();
    }


    /** {@code critical.identity.docker-reference}, as written by the signer. */
    public String dockerReference() {
        return dockerReference;
    }

    /** {@code critical.image.docker-manifest-digest}: the digest this signature vouches for. */
    public Digest manifestDigest() {
        return manifestDigest;
    }

    /** The {@code optional} members (empty when it was null or absent). */
    public Map<String, JsonNode> optional() {
        return optional;
    }

    /** The {@code optional} members whose values are strings: the annotations. */
    public Map<String, String> annotations() {
        Map<String, String> strings = new TreeMap<>();
        optional.forEach((k, v) -> {
            if (v.isTextual()) {
                strings.put(k, v.asText());
            }
        });
        return strings;
    }
}
