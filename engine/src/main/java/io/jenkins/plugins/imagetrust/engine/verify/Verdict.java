package io.jenkins.plugins.imagetrust.engine.verify;

/** Why an image as a whole is or is not trusted. */
public enum Verdict {
    /** At least {@code threshold} distinct trusted keys signed the digest. */
    TRUSTED,
    /** The image has no signature at all. */
    NO_SIGNATURES,
    /** Signatures exist but fewer than {@code threshold} distinct trusted keys count. */
    THRESHOLD_NOT_MET,
    /**
     * The index is trusted, but the policy asks for every platform manifest it lists ({@code requireAllPlatforms})
     * and one of them is not.
     */
    PLATFORM_NOT_TRUSTED;

    public boolean trusted() {
        return this == TRUSTED;
    }
}
