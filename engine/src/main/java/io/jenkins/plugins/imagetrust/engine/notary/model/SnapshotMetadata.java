package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code snapshot.json}'s signed body: length and hashes of root, targets and every delegation file. */
public record SnapshotMetadata(long version, Instant expires, Map<String, FileMeta> meta) {
    public SnapshotMetadata {
        meta = Map.copyOf(meta);
    }

    public static SnapshotMetadata from(SignedMetadata file) throws MalformedMetadataException {
        file.requireType("Snapshot");
        Map<String, FileMeta> meta = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = JsonFields.object(file.signed(), "meta", file.role()).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            meta.put(entry.getKey(), FileMeta.fromJson(entry.getValue(), file.role(), entry.getKey()));
        }
        return new SnapshotMetadata(file.version(), file.expires(), meta);
    }

    public Optional<FileMeta> meta(String role) {
        return Optional.ofNullable(meta.get(role));
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("_type", "Snapshot");
        node.put("expires", DateTimeFormatter.ISO_INSTANT.format(expires));
        ObjectNode metaNode = node.putObject("meta");
        new TreeMap<>(meta).forEach((name, fileMeta) -> metaNode.set(name, fileMeta.toJson()));
        node.put("version", version);
        return node;
    }
}
