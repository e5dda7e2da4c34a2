package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OCI image manifest that attaches a Sigstore bundle to an image (cosign {@code specs/BUNDLE_SPEC.md};
 * cosign {@code pkg/oci/remote/write.go} {@code WriteReferrer}, {@code WriteAttestationNewBundleFormat}):
 *
 * <pre>{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 *  "artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json",
 *  "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa3…","size":2},
 *  "layers":[{"mediaType":BUNDLE,"digest":…,"size":…,"annotations":{"org.opencontainers.image.title":"sha256-<hex>.sigstore.json"}}],
 *  "subject":{"mediaType":…,"digest":IMAGE,"size":…},
 *  "annotations":{"dev.sigstore.bundle.content":"dsse-envelope","dev.sigstore.bundle.predicateType":…,
 *                 "org.opencontainers.image.created":RFC3339}}</pre>
 */
public final class ReferrerManifest {
    /** The empty JSON object, the config blob of every artifact manifest (OCI image-spec "empty descriptor"). */
    public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
    /** Manifest annotation: {@code dsse-envelope} or {@code message-signature}. */
    public static final String CONTENT_ANNOTATION = "dev.sigstore.bundle.content";
    /** Manifest annotation: the statement's predicate type. */
    public static final String PREDICATE_TYPE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    /** Manifest annotation: when the bundle was made, RFC 3339 UTC. */
    public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";
    /** Layer annotation: a file name for the bundle, {@code sha256-<hex>.sigstore.json}. */
    public static final String TITLE_ANNOTATION = "org.opencontainers.image.title";
    /** More layers than this is not a bundle referrer. */
    public static final int MAX_LAYERS = 16;
    private static final ObjectMapper MAPPER = JsonMappers.noDuplicateKeys();

    /** A descriptor as the manifest states it; fields that do not parse are empty or -1. */
    public record Entry(String mediaType, Optional<Digest> digest, long size, Map<String, String> annotations) {
        public Entry {
            annotations = Map.copyOf(annotations);
        }
    }

    private final Optional<String> artifactType;
    private final List<Entry> layers;
    private final Optional<Entry> subject;
    private final Map<String, String> annotations;

    private ReferrerManifest(Optional<String> artifactType, List<Entry> layers, Optional<Entry> subject, Map<String, String> annotations) {
        this.artifactType = artifactType;
        this.layers = List.copyOf(layers);
        this.subject = subject;
        this.annotations = Map.copyOf(annotations);
    }

    /** The annotations we put on a DSSE bundle referrer (and on its fallback-index entry). */
    public static Map<String, String> dsseAnnotations(Instant created) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(CONTENT_ANNOTATION, SigstoreBundle.CONTENT_DSSE);
        annotations.put(PREDICATE_TYPE_ANNOTATION, InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE);
        annotations.put(CREATED_ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)));
        return annotations;
    }

    /**
     * The manifest annotations of an attestation bundle referrer: those of a signature bundle with
     * {@code dev.sigstore.bundle.predicateType} set to the attestation's predicate type, as cosign 3 writes it (cosign
     * {@code pkg/oci/remote/write.go} {@code WriteAttestationNewBundleFormat(d, bundle, predicateType)}, called from
     * {@code attest.go} with the predicate URI).
     */
    public static Map<String, String> attestationAnnotations(Instant created, String predicateType) {
        Map<String, String> annotations = dsseAnnotations(created);
        annotations.put(PREDICATE_TYPE_ANNOTATION, predicateType);
        return annotations;
    }

    /** The manifest bytes attaching the bundle blob {@code bundle} to {@code subject}. */
    public static byte[] create(Descriptor bundle, Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.put("artifactType", MediaTypes.SIGSTORE_BUNDLE);
        ObjectNode config = root.putObject("config");
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("digest", Digest.sha256(EMPTY_CONFIG).toString());
        config.put("size", EMPTY_CONFIG.length);
        ObjectNode layer = root.putArray("layers").addObject();
        layer.put("mediaType", bundle.mediaType());
        layer.put("digest", bundle.digest().toString());
        layer.put("size", bundle.size());
        layer.putObject("annotations").put(TITLE_ANNOTATION, bundle.digest().algorithm() + "-" + bundle.digest().hex() + ".sigstore.json");
        ObjectNode subjectNode = root.putObject("subject");
        subjectNode.put("mediaType", subject.mediaType());
        subjectNode.put("digest", subject.digest().toString());
        subjectNode.put("size", subject.size());
        ObjectNode annotationNode = root.putObject("annotations");
        new TreeMap<>(annotations).forEach(annotationNode::put);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a referrer manifest; {@link MalformedDocumentException} names what is malformed. */
    public static ReferrerManifest parse(byte[] bytes) throws MalformedDocumentException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedDocumentException("the referrer manifest is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDocumentException("the referrer manifest is not a JSON object");
        }
        if (root.path("schemaVersion").asInt() != 2) {
            throw new MalformedDocumentException("the referrer manifest's schemaVersion is not 2");
        }
        JsonNode layerArray = root.path("layers");
        if (!layerArray.isArray()) {
            throw new MalformedDocumentException("the referrer manifest has no 'layers' array");
        }
        if (layerArray.size() > MAX_LAYERS) {
            throw new MalformedDocumentException("the referrer manifest has " + layerArray.size() + " layers; at most " + MAX_LAYERS + " are read");
        }
        List<Entry> layers = new ArrayList<>();
        for (JsonNode layer : layerArray) {
            layers.add(entry(layer));
        }
        JsonNode subject = root.get("subject");
        JsonNode artifactType = root.get("artifactType");
        return new ReferrerManifest(artifactType != null && artifactType.isTextual() ? Optional.of(artifactType.asText()) : Optional.empty(),
                layers, subject != null && subject.isObject() ? Optional.of(entry(subject)) : Optional.empty(), strings(root.path("annotations")));
    }

    static Entry entry(JsonNode node) {
        Optional<Digest> digest;
        try {
            digest = Optional.of(Digest.parse(node.path("digest").asText("")));
        } catch (InvalidReferenceException e) {
            digest = Optional.empty();
        }
        JsonNode size = node.path("size");
        return new Entry(node.path("mediaType").asText(""), digest, size.canConvertToLong() ? size.asLong() : -1, strings(node.path("annotations")));
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isTextual()) {
                out.put(field.getKey(), field.getValue().asText());
            }
        }
        return out;
    }

    public Optional<String> artifactType() {
        return artifactType;
    }

    public List<Entry> layers() {
        return layers;
    }

    public Optional<Entry> subject() {
        return subject;
    }

    public Map<String, String> annotations() {
        return annotations;
    }

    /** The bundle layer: the first layer of the bundle media type. */
    public Optional<Entry> bundleLayer() {
        return layers.stream().filter(l -> MediaTypes.SIGSTORE_BUNDLE.equals(l.mediaType())).findFirst();
    }

    /**
     * Whether this manifest attaches a Sigstore bundle: by its artifactType or by a bundle layer (a fallback index
     * may have lost the artifactType, and some writers put it only on the config).
     */
    public boolean isBundleReferrer() {
        return artifactType.filter(MediaTypes.SIGSTORE_BUNDLE::equals).isPresent() || bundleLayer().isPresent();
    }
}
