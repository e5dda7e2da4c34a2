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
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI image index of referrers: what the referrers API answers and what the fallback tag {@code <alg>-<hex>}
 * holds (opencontainers/distribution-spec {@code spec.md}, "Referrers Tag Schema"). The document is kept as the
 * registry served it; adding an entry appends to {@code manifests} and leaves every other entry and member as it
 * was, so a read-modify-write never drops another tool's referrer.
 */
public final class ReferrersIndex {
    /** More entries than this is not read (a referrer list of an attacker's making). */
    public static final int MAX_ENTRIES = 10_000;
    private static final ObjectMapper MAPPER = JsonMappers.exactNumbers();

    private final ObjectNode root;

    private ReferrersIndex(ObjectNode root) {
        this.root = root;
    }

    /** An index with no entries. */
    public static ReferrersIndex empty() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        root.putArray("manifests");
        return new ReferrersIndex(root);
    }

    /** Parses an index; {@link MalformedDocumentException} names what is malformed. */
    public static ReferrersIndex parse(byte[] bytes) throws MalformedDocumentException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedDocumentException("the referrers index is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDocumentException("the referrers index is not a JSON object");
        }
        if (root.path("schemaVersion").asInt() != 2) {
            throw new MalformedDocumentException("the referrers index's schemaVersion is not 2");
        }
        JsonNode manifests = root.get("manifests");
        if (manifests != null && !manifests.isArray()) {
            throw new MalformedDocumentException("the referrers index's 'manifests' is not an array");
        }
        if (manifests != null && manifests.size() > MAX_ENTRIES) {
            throw new MalformedDocumentException("the referrers index has " + manifests.size() + " entries; at most " + MAX_ENTRIES + " are read");
        }
        if (manifests != null) {
            for (JsonNode entry : manifests) {
                if (!entry.isObject()) {
                    throw new MalformedDocumentException("a referrers index entry is not an object");
                }
            }
        }
        return new ReferrersIndex((ObjectNode) root);
    }

    /** One entry of the index: its descriptor facts and its artifactType ("" when absent). */
    public record Entry(ReferrerManifest.Entry descriptor, String artifactType) {
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (JsonNode node : root.path("manifests")) {
            out.add(new Entry(ReferrerManifest.entry(node), node.path("artifactType").asText("")));
        }
        return out;
    }

    public boolean contains(Digest manifest) {
        return entries().stream().anyMatch(e -> e.descriptor().digest().filter(manifest::equals).isPresent());
    }

    /** A new index with one more entry for {@code manifest}: media type, digest, size, artifactType and annotations. */
    public ReferrersIndex with(Descriptor manifest, String artifactType, Map<String, String> annotations) {
        ObjectNode copy = root.deepCopy();
        ArrayNode manifests = copy.has("manifests") ? (ArrayNode) copy.get("manifests") : copy.putArray("manifests");
        ObjectNode entry = manifests.addObject();
        entry.put("mediaType", manifest.mediaType());
        entry.put("digest", manifest.digest().toString());
        entry.put("size", manifest.size());
        entry.put("artifactType", artifactType);
        if (!annotations.isEmpty()) {
            ObjectNode annotationNode = entry.putObject("annotations");
            new TreeMap<>(annotations).forEach(annotationNode::put);
        }
        return new ReferrersIndex(copy);
    }

    public byte[] toBytes() {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return root.path("manifests").size();
    }
}
