package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.Locale;

/**
 * Which cosign signature format(s) to write, and (for a signature found) which one it is in.
 *
 * <p>{@link #LEGACY} is the {@code sha256-<hex>.sig} tag that skopeo, podman, CRI-O and policy-controller read;
 * {@link #BUNDLE} is the Sigstore bundle attached as an OCI referrer that cosign 3 writes by default. Writing
 * {@link #BOTH} (the default) is what lets every one of those verifiers accept the image.
 */
public enum SignatureFormat {
    /** The {@code .sig} tag with a simple-signing payload. */
    LEGACY,
    /** A Sigstore bundle (DSSE in-toto statement) attached to the image as an OCI referrer. */
    BUNDLE,
    /** Both of the above (for signing only; a found signature is one or the other). */
    BOTH;

    /** The lowercase name used by the CLI and in JSON reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code legacy}, {@code bundle} or {@code both} (any case). */
    public static SignatureFormat fromId(String id) {
        for (SignatureFormat format : values()) {
            if (format.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown signature format '" + id + "' (expected 'legacy', 'bundle' or 'both')");
    }

    public boolean writesLegacy() {
        return this != BUNDLE;
    }

    public boolean writesBundle() {
        return this != LEGACY;
    }
}
