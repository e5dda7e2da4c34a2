package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OCI manifest at {@code sha256-<hex>.sig}: one layer per signature. Layers are kept as the JSON the
 * registry served, so appending a signature never rewrites (or drops fields of) an earlier one.
 */
public final class SignatureManifest {
    /** cosign's layer annotation holding the base64 signature. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** cosign's attestation layer annotation naming the statement's predicate type (unsigned: a hint only). */
    public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
    /** More layers than this is not a signature manifest but an attack on the verifier's time. */
    public static final int MAX_LAYERS = 1000;
    private static final ObjectMapper MAPPER = JsonMappers.noDuplicateKeys();

    private final List<ObjectNode> layers;

    private SignatureManifest(List<ObjectNode> layers) {
        this.layers = layers;
    }

    public static SignatureManifest empty() {
        return new SignatureManifest(new ArrayList<>());
    }

    /** Parses a served manifest; throws {@link MalformedDocumentException} naming what is malformed. */
    public static SignatureManifest parse(byte[] bytes) throws MalformedDocumentException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedDocumentException("signature manifest is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDocumentException("signature manifest is not a JSON object");
        }
        if (root.path("schemaVersion").asInt() != 2) {
            throw new MalformedDocumentException("signature manifest schemaVersion is not 2");
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new MalformedDocumentException("signature manifest has no 'layers' array");
        }
        if (layersNode.size() > MAX_LAYERS) {
            throw new MalformedDocumentException("signature manifest has " + layersNode.size() + " layers; at most " + MAX_LAYERS + " are read");
        }
        List<ObjectNode> layers = new ArrayList<>();
        for (JsonNode layer : layersNode) {
            if (!layer.isObject()) {
                throw new MalformedDocumentException("a signature manifest layer is not an object");
            }
            layers.add((ObjectNode) layer);
        }
        return new SignatureManifest(layers);
    }

    /** The signature layers, each as a typed view. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(new Layer(i, layers.get(i)));
        }
        return out;
    }

    public int size() {
        return layers.size();
    }

    /** A new manifest with one more simple-signing layer. */
    public SignatureManifest withSignature(Digest payloadDigest, long payloadSize, byte[] signature) {
        return withLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, payloadDigest, payloadSize,
                Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature)));
    }

    /**
     * A new manifest with one more attestation layer (in the {@code .att} manifest): a DSSE envelope blob, annotated
     * as cosign's {@code attest} does ({@link #attestationAnnotations}).
     */
    public SignatureManifest withAttestation(Digest envelopeDigest, long envelopeSize, String predicateType) {
        return withLayer(MediaTypes.DSSE_ENVELOPE, envelopeDigest, envelopeSize, attestationAnnotations(predicateType));
    }

    /**
     * The annotations of an attestation layer, in key order: {@code {"dev.cosignproject.cosign/signature":"",
     * "predicateType":URI}} (cosign {@code attest.go} {@code static.WithAnnotations({"predicateType": …})}; cosign
     * {@code pkg/oci/static/signature.go}: an attestation is {@code NewSignature(envelope, "")}, whose annotations
     * always hold the empty signature: the signature lives inside the envelope).
     */
    public static Map<String, String> attestationAnnotations(String predicateType) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(SIGNATURE_ANNOTATION, "");
        annotations.put(PREDICATE_TYPE_ANNOTATION, predicateType);
        return annotations;
    }

    private SignatureManifest withLayer(String mediaType, Digest digest, long size, Map<String, String> annotations) {
        ObjectNode layer = JsonNodeFactory.instance.objectNode();
        layer.put("mediaType", mediaType);
        layer.put("digest", digest.toString());
        layer.put("size", size);
        ObjectNode annotationNode = layer.putObject("annotations");
        annotations.forEach(annotationNode::put);
        List<ObjectNode> next = new ArrayList<>(layers);
        next.add(layer);
        return new SignatureManifest(next);
    }

    /**
     * The config blob for these layers, byte for byte what containers/image writes: a minimal image config
     * whose {@code rootfs.diff_ids} lists every layer digest. Verifiers do not read it; registries want one.
     */
    public byte[] configBlob() {
        StringBuilder json = new StringBuilder("{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(layers.get(i).path("digest").asText()).append('"');
        }
        return json.append("]}}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The manifest bytes referring to {@code config} (the digest of {@link #configBlob()}). */
    public byte[] toBytes(Digest configDigest, long configSize) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode config = root.putObject("config");
        config.put("mediaType", MediaTypes.OCI_CONFIG);
        config.put("digest", configDigest.toString());
        config.put("size", configSize);
        ArrayNode array = root.putArray("layers");
        layers.forEach(array::add);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A typed view of one layer; accessors that meet malformed JSON return empty. */
    public static final class Layer {
        private final int index;
        private final ObjectNode node;

        Layer(int index, ObjectNode node) {
            this.index = index;
            this.node = node;
        }

        public int index() {
            return index;
        }

        public String mediaType() {
            return node.path("mediaType").asText("");
        }

        public Optional<Digest> digest() {
            try {
                return Optional.of(Digest.parse(node.path("digest").asText("")));
            } catch (InvalidReferenceException e) {
                return Optional.empty();
            }
        }

        public long size() {
            return node.path("size").asLong(-1);
        }

        /** The layer's string annotations (others are left out), in document order. */
        public Map<String, String> annotations() {
            Map<String, String> out = new LinkedHashMap<>();
            node.path("annotations").fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
            return out;
        }

        /** The decoded signature, or empty when the annotation is absent or not base64. */
        public Optional<byte[]> signature() {
            JsonNode value = node.path("annotations").path(SIGNATURE_ANNOTATION);
            if (!value.isTextual()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Base64.getDecoder().decode(value.asText()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
