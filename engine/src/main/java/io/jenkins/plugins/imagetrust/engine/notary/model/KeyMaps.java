package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The {@code keys} maps of root and delegations: key id → key, each id checked against the key it names. */
final class KeyMaps {
    private KeyMaps() {
    }

    static Map<String, TufKey> fromJson(JsonNode node, String role) throws MalformedMetadataException {
        Map<String, TufKey> keys = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            TufKey key = TufKey.fromJson(entry.getValue(), role);
            if (!key.id().equals(entry.getKey())) {
                // Otherwise a signature could claim one id and be checked with another key.
                throw new MalformedMetadataException(role, "key listed as " + entry.getKey() + " has id " + key.id());
            }
            keys.put(entry.getKey(), key);
        }
        return keys;
    }

    static ObjectNode toJson(Map<String, TufKey> keys) {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        new TreeMap<>(keys).forEach((id, key) -> node.set(id, key.toJson()));
        return node;
    }
}
