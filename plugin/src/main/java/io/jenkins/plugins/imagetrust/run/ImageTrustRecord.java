package io.jenkins.plugins.imagetrust.run;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** One signImage or verifyImage call as shown on the build page. Immutable; persisted by XStream in build.xml. */
public final class ImageTrustRecord implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The outcome, from best to worst (the badge shows the worst). */
    public enum Verdict {
        SIGNED("signed", "symbol-key"),
        VERIFIED("verified", "symbol-check"),
        WARNED("warned", "symbol-warning"),
        FAILED("failed", "symbol-error");

        private final String label;
        private final String icon;

        Verdict(String label, String icon) {
            this.label = label;
            this.icon = icon;
        }

        public String label() {
            return label;
        }

        public String icon() {
            return icon;
        }
    }

    private final String operation;
    private final String image;
    private final String digest;
    private final List<String> keyIds;
    private final Verdict verdict;
    private final String reason;
    // Null in records saved before multi-platform signing (XStream does not run constructors): read as empty.
    private final List<PlatformManifest> platforms;

    /** A manifest an image index lists, signed with it: shown folded under the index's row. */
    public static final class PlatformManifest implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String platform;
        private final String digest;

        /**
         * @param platform {@code os/architecture[/variant]}, or {@code unknown}
         * @param digest the manifest digest
         */
        public PlatformManifest(@NonNull String platform, @NonNull String digest) {
            this.platform = platform;
            this.digest = digest;
        }

        public String getPlatform() {
            return platform;
        }

        public String getDigest() {
            return digest;
        }
    }

    /**
     * @param operation {@code sign} or {@code verify}
     * @param image the image as the step named it
     * @param digest the manifest digest, or null when it was never resolved
     * @param keyIds the key ids that signed, or whose signatures counted
     * @param reason why not, or a short note; null when there is nothing to say
     */
    public ImageTrustRecord(
            @NonNull String operation,
            @NonNull String image,
            @CheckForNull String digest,
            @NonNull List<String> keyIds,
            @NonNull Verdict verdict,
            @CheckForNull String reason) {
        this(operation, image, digest, keyIds, verdict, reason, List.of());
    }

    /**
     * A record of an image index signed with the manifests it lists.
     *
     * @param platforms the manifests the index lists that were signed with it
     */
    public ImageTrustRecord(
            @NonNull String operation,
            @NonNull String image,
            @CheckForNull String digest,
            @NonNull List<String> keyIds,
            @NonNull Verdict verdict,
            @CheckForNull String reason,
            @NonNull List<PlatformManifest> platforms) {
        this.platforms = new ArrayList<>(platforms);
        this.operation = operation;
        this.image = image;
        this.digest = digest;
        this.keyIds = new ArrayList<>(keyIds);
        this.verdict = verdict;
        this.reason = reason;
    }

    public String getOperation() {
        return operation;
    }

    public String getImage() {
        return image;
    }

    @CheckForNull
    public String getDigest() {
        return digest;
    }

    public List<String> getKeyIds() {
        return new ArrayList<>(keyIds);
    }

    public Verdict getVerdict() {
        return verdict;
    }

    /** Lowercase verdict for display. */
    public String getVerdictLabel() {
        return verdict.label();
    }

    @CheckForNull
    public String getReason() {
        return reason;
    }

    /** For a signed image index: the manifests it lists that were signed with it; else empty. */
    public List<PlatformManifest> getPlatforms() {
        return platforms == null ? List.of() : new ArrayList<>(platforms);
    }
}
