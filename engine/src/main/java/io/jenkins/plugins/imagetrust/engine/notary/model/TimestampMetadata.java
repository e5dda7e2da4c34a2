package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** {@code timestamp.json}'s signed body: length and hashes of the current snapshot. */
public record TimestampMetadata(long version, Instant expires, FileMeta snapshot) {

    public static TimestampMetadata from(SignedMetadata file) throws MalformedMetadataException {
        file.requireType("Timestamp");
        JsonNode meta = JsonFields.object(file.signed(), "meta", file.role());
        return new TimestampMetadata(file.version(), file.expires(), FileMeta.fromJson(meta.get(RoleNames.SNAPSHOT), file.role(), RoleNames.SNAPSHOT));
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("_type", "Timestamp");
        node.put("expires", DateTimeFormatter.ISO_INSTANT.format(expires));
        node.putObject("meta").set(RoleNames.SNAPSHOT, snapshot.toJson());
        node.put("version", version);
        return node;
    }
}
