package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.TargetNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.TufException;

/**
 * The command's exit codes, in one place. A batch of images exits with the most severe outcome:
 * usage (2) over error (1) over not trusted (3) over success (0) — an error means nothing is known about that
 * image, which a deploy gate must treat at least as seriously as a known-bad one.
 */
public final class ExitCodes {
    /** Verified, signed, done. */
    public static final int OK = 0;
    /** Could not complete: registry unreachable, bad key, bad policy file. */
    public static final int ERROR = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** Verification ran and the policy was not met. */
    public static final int NOT_TRUSTED = 3;

    private ExitCodes() {
    }

    /**
     * The exit code of a Notary failure: the tag is not trusted (3: its trust data does not verify, or does not sign
     * it), or nothing could be decided (1).
     */
    public static int ofNotary(NotaryException e) {
        return e instanceof TufException || e instanceof TargetNotFoundException || e instanceof MetadataNotFoundException
                ? NOT_TRUSTED : ERROR;
    }

    /** The more severe of two exit codes. */
    public static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        switch (code) {
            case OK:
                return 0;
            case NOT_TRUSTED:
                return 1;
            case ERROR:
                return 2;
            case USAGE:
                return 3;
            default:
                return 2;
        }
    }
}
