package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A signature storage format ({@link SignatureStorage#format()}), as users name it: which one a signature was found in,
 * and (through {@link #writes()}) which ones to write.
 *
 * <p>{@link #LEGACY} is the {@code sha256-<hex>.sig} tag that skopeo, podman, CRI-O and policy-controller read;
 * {@link #BUNDLE} is the Sigstore bundle attached as an OCI referrer that cosign 3 writes by default. {@link #BOTH}
 * (the default) is no format but the name users give to writing every one of them, which is what lets every one of
 * those verifiers accept the image.
 */
public enum SignatureFormat {
    /** The {@code .sig} tag with a simple-signing payload. */
    LEGACY,
    /** A Sigstore bundle (DSSE in-toto statement) attached to the image as an OCI referrer. */
    BUNDLE,
    /** The name for writing every format above; a found signature is never in it. */
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

    /** The storage formats this name asks to write: itself, or for {@link #BOTH} every storage format. */
    public Set<SignatureFormat> writes() {
        return this == BOTH ? EnumSet.complementOf(EnumSet.of(BOTH)) : EnumSet.of(this);
    }
}
