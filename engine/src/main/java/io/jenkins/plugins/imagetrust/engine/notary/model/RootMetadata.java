package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code root.json}'s signed body: every key of the repository's top-level roles and who signs what. */
public record RootMetadata(long version, Instant expires, boolean consistentSnapshot, Map<String, TufKey> keys, Map<String, RoleKeys> roles) {
    /** The four top-level roles a root must define. */
    public static final List<String> TOP_LEVEL_ROLES = List.of(RoleNames.ROOT, RoleNames.SNAPSHOT, RoleNames.TARGETS, RoleNames.TIMESTAMP);

    public RootMetadata {
        keys = Map.copyOf(keys);
        roles = Map.copyOf(roles);
    }

    public static RootMetadata from(SignedMetadata file) throws MalformedMetadataException {
        file.requireType("Root");
        String role = file.role();
        JsonNode signed = file.signed();
        Map<String, TufKey> keys = KeyMaps.fromJson(JsonFields.object(signed, "keys", role), role);
        Map<String, RoleKeys> roles = new TreeMap<>();
        JsonNode rolesNode = JsonFields.object(signed, "roles", role);
        for (Iterator<Map.Entry<String, JsonNode>> it = rolesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            roles.put(entry.getKey(), RoleKeys.fromJson(entry.getValue(), role, entry.getKey()));
        }
        for (String required : TOP_LEVEL_ROLES) {
            if (!roles.containsKey(required)) {
                throw new MalformedMetadataException(role, "role '" + required + "' is not defined");
            }
        }
        return new RootMetadata(file.version(), file.expires(), JsonFields.bool(signed, "consistent_snapshot", role), keys, roles);
    }

    /** The keys and threshold of a top-level role. */
    public RoleKeys role(String name) {
        RoleKeys keys = roles.get(name);
        if (keys == null) {
            throw new IllegalArgumentException("root defines no role " + name);
        }
        return keys;
    }

    /**
     * The next version, in which top-level role {@code name} is signed by {@code newKey} alone (threshold 1);
     * keys no role lists any more are dropped. Expiry is kept: it follows the root certificate.
     */
    public RootMetadata withRoleKey(String name, TufKey newKey) {
        return withRoleKey(name, newKey, expires);
    }

    /**
     * As {@link #withRoleKey(String, TufKey)}, expiring at {@code newExpires} (a new root key comes with a new
     * certificate, whose validity the root's expiry follows).
     */
    public RootMetadata withRoleKey(String name, TufKey newKey, Instant newExpires) {
        role(name);
        Map<String, RoleKeys> newRoles = new TreeMap<>(roles);
        newRoles.put(name, new RoleKeys(List.of(newKey.id()), 1));
        Map<String, TufKey> newKeys = new TreeMap<>(keys);
        newKeys.put(newKey.id(), newKey);
        newKeys.keySet().removeIf(id -> newRoles.values().stream().noneMatch(role -> role.keyIds().contains(id)));
        return new RootMetadata(version + 1, newExpires, consistentSnapshot, newKeys, newRoles);
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("_type", "Root");
        node.put("consistent_snapshot", consistentSnapshot);
        node.put("expires", DateTimeFormatter.ISO_INSTANT.format(expires));
        node.set("keys", KeyMaps.toJson(keys));
        ObjectNode rolesNode = node.putObject("roles");
        new TreeMap<>(roles).forEach((name, keys) -> rolesNode.set(name, keys.toJson()));
        node.put("version", version);
        return node;
    }
}
