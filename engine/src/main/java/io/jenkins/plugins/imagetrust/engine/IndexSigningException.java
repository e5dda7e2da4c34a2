package io.jenkins.plugins.imagetrust.engine;

import java.util.List;

/**
 * Signing an index failed for some of the manifests it lists. The others were signed (their signatures are complete
 * and stay); the index itself was not, so that no signature vouches for a multi-platform image whose platforms are not
 * all signed. Signing again completes it: what is already signed is found and kept.
 */
public final class IndexSigningException extends SigningException {
    private static final long serialVersionUID = 1L;

    /** A listed manifest that could not be signed, and why. */
    public record Failure(PlatformManifest manifest, String reason) {
    }

    private final transient List<SignedManifest> signed;
    private final transient List<Failure> failures;

    IndexSigningException(String message, List<SignedManifest> signed, List<Failure> failures, Throwable firstCause) {
        super(message, firstCause);
        this.signed = List.copyOf(signed);
        this.failures = List.copyOf(failures);
    }

    /** The listed manifests that were signed. */
    public List<SignedManifest> signed() {
        return signed == null ? List.of() : signed;
    }

    /** The listed manifests that were not, with their platforms and why. */
    public List<Failure> failures() {
        return failures == null ? List.of() : failures;
    }
}
