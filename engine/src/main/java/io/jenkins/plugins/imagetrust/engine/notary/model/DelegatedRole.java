package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.util.List;

/**
 * A delegation from a targets role: the delegated role's name, its keys and threshold, and the target-name
 * prefixes it may sign ({@code ""} grants every name). {@code path_hash_prefixes} grants are not supported
 * and grant nothing.
 */
public record DelegatedRole(String name, RoleKeys keys, List<String> paths) {
    public DelegatedRole {
        paths = List.copyOf(paths);
    }

    static DelegatedRole fromJson(JsonNode node, String role) throws MalformedMetadataException {
        if (node == null || !node.isObject()) {
            throw new MalformedMetadataException(role, "a delegation must be an object");
        }
        String name = JsonFields.text(node, "name", role);
        if (!RoleNames.isDelegation(name)) {
            throw new MalformedMetadataException(role, "'" + name + "' is not a valid delegation role name");
        }
        List<String> paths = node.has("paths") ? JsonFields.texts(node, "paths", role) : List.of();
        return new DelegatedRole(name, RoleKeys.fromJson(node, role, name), paths);
    }

    /** Whether this delegation may sign a target named {@code target}. */
    public boolean allows(String target) {
        return paths.stream().anyMatch(target::startsWith);
    }

    public ObjectNode toJson() {
        ObjectNode node = keys.toJson();
        node.put("name", name);
        paths.forEach(node.putArray("paths")::add);
        return node;
    }
}
