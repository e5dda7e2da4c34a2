package io.jenkins.plugins.imagetrust.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests an OCI image index or Docker manifest list names, read from its (digest-checked) bytes: each entry's
 * descriptor, platform and annotations. Reading is strict (duplicate members, a malformed digest, a negative size or
 * an entry that is not a manifest are errors), because what it lists decides what gets signed.
 */
public final class ImageIndex {
    /** Buildx marks the manifests holding provenance and SBOMs with this annotation, and gives them platform unknown/unknown. */
    public static final String REFERENCE_TYPE_ANNOTATION = "vnd.docker.reference.type";

    public static final String ATTESTATION_MANIFEST = "attestation-manifest";
    private static final ObjectMapper JSON = JsonMappers.strict();

    private final Digest digest;
    private final List<Entry> entries;

    private ImageIndex(Digest digest, List<Entry> entries) {
        this.digest = digest;
        this.entries = List.copyOf(entries);
    }

    /**
     * One manifest an index lists.
     *
     * @param platform the platform the index states for it, or null when it states none
     */
    public record Entry(Descriptor descriptor, Platform platform, Map<String, String> annotations) {
        public Entry {
            annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        }

        public Optional<Platform> platformIfStated() {
            return Optional.ofNullable(platform);
        }

        public Digest digest() {
            return descriptor.digest();
        }

        /** An index or manifest list itself (a nested index). */
        public boolean isIndex() {
            return MediaTypes.isIndex(descriptor.mediaType());
        }

        /**
         * A buildx attestation manifest (provenance, SBOM): annotated {@code vnd.docker.reference.type:
         * attestation-manifest}. No runtime pulls it to run it.
         */
        public boolean isAttestation() {
            return ATTESTATION_MANIFEST.equals(annotations.get(REFERENCE_TYPE_ANNOTATION));
        }

        /** The platform as text, {@code unknown} when the index states none. */
        public String platformText() {
            return platform == null ? "unknown" : platform.toString();
        }
    }

    /**
     * Reads an index.
     *
     * @throws MalformedDocumentException when {@code manifest} is not an index, or not a well-formed one (the message says
     *         what is wrong)
     */
    public static ImageIndex parse(Manifest manifest) throws MalformedDocumentException {
        if (!MediaTypes.isIndex(manifest.mediaType())) {
            throw new MalformedDocumentException("manifest " + manifest.digest() + " is a " + manifest.mediaType() + ", not an image index");
        }
        JsonNode root;
        try {
            root = JSON.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new MalformedDocumentException("image index " + manifest.digest() + " is not valid JSON", e);
        }
        String where = "image index " + manifest.digest().shortForm();
        if (root == null || !root.isObject() || !root.path("manifests").isArray()) {
            throw new MalformedDocumentException(where + " has no 'manifests' list");
        }
        List<Entry> entries = new ArrayList<>();
        int position = 0;
        for (JsonNode node : root.get("manifests")) {
            entries.add(entry(node, where + " manifests[" + position++ + "]"));
        }
        return new ImageIndex(manifest.digest(), entries);
    }

    private static Entry entry(JsonNode node, String where) {
        String mediaType = node.path("mediaType").asText("");
        if (!MediaTypes.ALL_MANIFESTS.contains(mediaType)) {
            throw new IllegalArgumentException(where + " has media type '" + mediaType + "', not an image manifest or index");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " has no valid digest: " + e.getMessage(), e);
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw new IllegalArgumentException(where + " has no valid size");
        }
        Platform platform = null;
        JsonNode platformNode = node.get("platform");
        if (platformNode != null && platformNode.isObject()) {
            String os = platformNode.path("os").asText("");
            String architecture = platformNode.path("architecture").asText("");
            if (os.isEmpty() || architecture.isEmpty()) {
                throw new IllegalArgumentException(where + " has a platform without os or architecture");
            }
            platform = new Platform(os, architecture, platformNode.path("variant").asText(""));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode annotationsNode = node.get("annotations");
        if (annotationsNode != null && annotationsNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = annotationsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> annotation = it.next();
                annotations.put(annotation.getKey(), annotation.getValue().asText());
            }
        }
        return new Entry(new Descriptor(mediaType, digest, size.longValue()), platform, annotations);
    }

    public Digest digest() {
        return digest;
    }

    public List<Entry> entries() {
        return entries;
    }
}
