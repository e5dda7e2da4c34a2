package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validates the names fetchers accept, so a name can never climb out of a folder or a URL path. */
public final class MetadataNames {
    private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128}");
    /** Registry host[:port]/path, as docker normalises it; no dot segments, no empty segments. */
    private static final Pattern GUN = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

    private MetadataNames() {
    }

    private static final Pattern VERSIONED = Pattern.compile("([1-9][0-9]{0,18})\\.(.+)");

    /** The name of a role's file at one version, as the server serves it: {@code <version>.<role>}. */
    public static String versioned(long version, String role) {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, not " + version);
        }
        return version + "." + role;
    }

    /** The role part of {@code name} ({@code snapshot.<hex>} → {@code snapshot}, {@code 2.root} → {@code root}). */
    public static String roleOf(String name) {
        Matcher versioned = VERSIONED.matcher(name);
        if (versioned.matches()) {
            return versioned.group(2);
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && CHECKSUM.matcher(name.substring(dot + 1)).matches() ? name.substring(0, dot) : name;
    }

    /** The checksum part of {@code name}, or {@code null} for a plain or versioned role name. */
    public static String checksumOf(String name) {
        if (VERSIONED.matcher(name).matches()) {
            return null;
        }
        String role = roleOf(name);
        return role.length() == name.length() ? null : name.substring(role.length() + 1);
    }

    public static void checkName(String name) {
        if (name == null || !RoleNames.isValid(roleOf(name))) {
            throw new IllegalArgumentException("not a Notary metadata name: '" + name + "'");
        }
    }

    public static void checkGun(String gun) {
        if (gun == null || !GUN.matcher(gun).matches() || gun.length() > 255) {
            throw new IllegalArgumentException("not a repository name (host[:port]/path, lowercase path): '" + gun + "'");
        }
    }
}
