package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A targets role's signed body ({@code targets} or a delegation such as {@code targets/releases}): target name
 * (the tag) → manifest length and hashes, plus the delegations it makes.
 */
public record TargetsMetadata(long version, Instant expires, Map<String, FileMeta> targets, Map<String, TufKey> delegationKeys,
        List<DelegatedRole> delegations) {
    public TargetsMetadata {
        targets = Map.copyOf(targets);
        delegationKeys = Map.copyOf(delegationKeys);
        delegations = List.copyOf(delegations);
    }

    public static TargetsMetadata from(SignedMetadata file) throws MalformedMetadataException {
        file.requireType("Targets");
        String role = file.role();
        JsonNode signed = file.signed();
        Map<String, FileMeta> targets = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = JsonFields.object(signed, "targets", role).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            checkTargetName(entry.getKey(), role);
            targets.put(entry.getKey(), FileMeta.fromJson(entry.getValue(), role, entry.getKey()));
        }
        Map<String, TufKey> keys = Map.of();
        List<DelegatedRole> delegations = new ArrayList<>();
        JsonNode delegationsNode = signed.get("delegations");
        if (delegationsNode != null && !delegationsNode.isNull()) {
            if (!delegationsNode.isObject()) {
                throw new MalformedMetadataException(role, "'delegations' must be an object");
            }
            keys = KeyMaps.fromJson(JsonFields.object(delegationsNode, "keys", role), role);
            for (JsonNode delegation : JsonFields.array(delegationsNode, "roles", role)) {
                DelegatedRole delegated = DelegatedRole.fromJson(delegation, role);
                if (!delegated.name().startsWith(role + "/") || delegated.name().indexOf('/', role.length() + 1) >= 0) {
                    throw new MalformedMetadataException(role, "delegation '" + delegated.name() + "' is not a direct child of " + role);
                }
                delegations.add(delegated);
            }
        }
        return new TargetsMetadata(file.version(), file.expires(), targets, keys, delegations);
    }

    /**
     * Rejects names that are not safe tag names: empty, or holding a control character (the canonical form
     * writes control characters raw, so such a name would not even round-trip as JSON).
     */
    public static void checkTargetName(String name, String role) throws MalformedMetadataException {
        if (name.isEmpty() || CanonicalJson.hasControlCharacter(name)) {
            throw new MalformedMetadataException(role, "target name " + (name.isEmpty() ? "is empty" : "holds a control character"));
        }
    }

    public Optional<DelegatedRole> delegation(String name) {
        return delegations.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** A copy with {@code target} set to {@code meta} (added or replaced) and the given version and expiry. */
    public TargetsMetadata withTarget(String target, FileMeta meta, long newVersion, Instant newExpires) {
        Map<String, FileMeta> updated = new TreeMap<>(targets);
        updated.put(target, meta);
        return new TargetsMetadata(newVersion, newExpires, updated, delegationKeys, delegations);
    }

    /** A copy without {@code target}, at the given version and expiry. */
    public TargetsMetadata withoutTarget(String target, long newVersion, Instant newExpires) {
        Map<String, FileMeta> updated = new TreeMap<>(targets);
        updated.remove(target);
        return new TargetsMetadata(newVersion, newExpires, updated, delegationKeys, delegations);
    }

    /**
     * A copy whose delegation {@code name} is signed by {@code newKey} alone (threshold 1, same paths); keys no
     * delegation lists any more are dropped.
     */
    public TargetsMetadata withDelegationKey(String name, TufKey newKey, long newVersion, Instant newExpires) {
        DelegatedRole current = delegation(name).orElseThrow(() -> new IllegalArgumentException("no delegation " + name));
        List<DelegatedRole> roles = new ArrayList<>();
        for (DelegatedRole role : delegations) {
            roles.add(role.name().equals(name) ? new DelegatedRole(name, new RoleKeys(List.of(newKey.id()), 1), current.paths()) : role);
        }
        Map<String, TufKey> keys = new TreeMap<>(delegationKeys);
        keys.put(newKey.id(), newKey);
        keys.keySet().removeIf(id -> roles.stream().noneMatch(role -> role.keys().keyIds().contains(id)));
        return new TargetsMetadata(newVersion, newExpires, targets, keys, roles);
    }

    /**
     * A copy in which delegation {@code name} also lists {@code key} (threshold and paths kept); a delegation
     * that does not exist yet is created with that key alone, threshold 1, every path ({@code ""}), as
     * {@code docker trust signer add} does.
     */
    public TargetsMetadata withDelegateKeyAdded(String name, TufKey key, long newVersion, Instant newExpires) {
        List<DelegatedRole> roles = new ArrayList<>();
        boolean found = false;
        for (DelegatedRole role : delegations) {
            if (role.name().equals(name)) {
                found = true;
                List<String> keyIds = new ArrayList<>(role.keys().keyIds());
                if (!keyIds.contains(key.id())) {
                    keyIds.add(key.id());
                }
                roles.add(new DelegatedRole(name, new RoleKeys(keyIds, role.keys().threshold()), role.paths()));
            } else {
                roles.add(role);
            }
        }
        if (!found) {
            roles.add(new DelegatedRole(name, new RoleKeys(List.of(key.id()), 1), List.of("")));
        }
        Map<String, TufKey> keys = new TreeMap<>(delegationKeys);
        keys.put(key.id(), key);
        return new TargetsMetadata(newVersion, newExpires, targets, keys, roles);
    }

    /** The signed body; {@code delegations} is always written, empty when unused, as notary does. */
    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("_type", "Targets");
        ObjectNode delegationsNode = node.putObject("delegations");
        delegationsNode.set("keys", KeyMaps.toJson(delegationKeys));
        com.fasterxml.jackson.databind.node.ArrayNode rolesNode = delegationsNode.putArray("roles");
        delegations.forEach(d -> rolesNode.add(d.toJson()));
        node.put("expires", DateTimeFormatter.ISO_INSTANT.format(expires));
        ObjectNode targetsNode = node.putObject("targets");
        new TreeMap<>(targets).forEach((name, meta) -> targetsNode.set(name, meta.toJson()));
        node.put("version", version);
        return node;
    }
}
