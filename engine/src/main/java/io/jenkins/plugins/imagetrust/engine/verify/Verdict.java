package io.jenkins.plugins.imagetrust.engine.verify;

/** Why an image as a whole is or is not trusted. */
public enum Verdict {
    /** At least {@code threshold} distinct trusted keys signed the digest. */
    TRUSTED,
    /** The image has no signature at all. */
    NO_SIGNATURES,
    /** Signatures exist but fewer than {@code threshold} distinct trusted keys count. */
    THRESHOLD_NOT_MET;

    public boolean trusted() {
        return this == TRUSTED;
    }
}
