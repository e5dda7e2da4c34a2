package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.util.List;

/** The key ids allowed to sign a role and how many distinct ones must ({@code threshold} ≥ 1). */
public record RoleKeys(List<String> keyIds, int threshold) {
    public RoleKeys {
        keyIds = List.copyOf(keyIds);
        if (threshold < 1) {
            throw new IllegalArgumentException("a threshold must be at least 1");
        }
    }

    static RoleKeys fromJson(JsonNode node, String role, String name) throws MalformedMetadataException {
        if (node == null || !node.isObject()) {
            throw new MalformedMetadataException(role, "role '" + name + "' must be an object with keyids and threshold");
        }
        long threshold = JsonFields.natural(node, "threshold", role);
        if (threshold < 1 || threshold > Integer.MAX_VALUE) {
            throw new MalformedMetadataException(role, "role '" + name + "' has threshold " + threshold + "; it must be at least 1");
        }
        return new RoleKeys(JsonFields.texts(node, "keyids", role), (int) threshold);
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        keyIds.forEach(node.putArray("keyids")::add);
        node.put("threshold", threshold);
        return node;
    }
}
