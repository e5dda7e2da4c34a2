package io.jenkins.plugins.imagetrust.engine.notary.model;

import java.util.regex.Pattern;

/** Notary role names and the rules for delegation names. */
public final class RoleNames {
    public static final String ROOT = "root";
    public static final String TARGETS = "targets";
    public static final String SNAPSHOT = "snapshot";
    public static final String TIMESTAMP = "timestamp";
    /** The delegation docker reads first when resolving a tag. */
    public static final String RELEASES = "targets/releases";

    private static final Pattern DELEGATION = Pattern.compile("targets(/[A-Za-z0-9_.-]+)+");

    private RoleNames() {
    }

    /** Whether {@code name} is a well-formed delegation role ({@code targets/<name>[/<name>…]}, no dot segments). */
    public static boolean isDelegation(String name) {
        return name != null && DELEGATION.matcher(name).matches() && !name.contains("/./") && !name.contains("/../")
                && !name.endsWith("/.") && !name.endsWith("/..");
    }

    /** Whether {@code name} is a top-level role or a well-formed delegation. */
    public static boolean isValid(String name) {
        return ROOT.equals(name) || TARGETS.equals(name) || SNAPSHOT.equals(name) || TIMESTAMP.equals(name) || isDelegation(name);
    }
}
