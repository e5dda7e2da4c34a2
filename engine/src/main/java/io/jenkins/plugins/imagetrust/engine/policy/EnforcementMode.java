package io.jenkins.plugins.imagetrust.engine.policy;

import java.util.Locale;

/** What an untrusted image does to the caller: fail (enforce) or only warn. */
public enum EnforcementMode {
    /** An untrusted image fails the build / exits 3. */
    ENFORCE,
    /** An untrusted image marks the build unstable and the run goes on. */
    WARN;

    /** The form used in policy files and step parameters: {@code enforce}, {@code warn}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnforcementMode fromId(String id) {
        for (EnforcementMode mode : values()) {
            if (mode.id().equalsIgnoreCase(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + id + "' (expected 'enforce' or 'warn')");
    }
}
