package io.jenkins.plugins.imagetrust.run;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One signImage or verifyImage call as shown on the build page and in the run's REST API ({@code api/json}).
 * Immutable; persisted by XStream in build.xml.
 */
// Visible in the run's api/json at the default depth, as core's ParameterValue (action 2, its records 3).
@ExportedBean(defaultVisibility = 3)
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
    /** The policy a verification was held to, as {@code EffectivePolicy.describe()} says it; null for signing. */
    private final String policy;
    /** What a verified provenance says (builder, source commit), and the build it names; null without one. */
    private final String provenance;

    private final String provenanceUrl;
    // The trusted keyless identities whose signatures counted; null in records saved before keyless verification.
    private final List<String> identities;
    // Null in records saved before multi-platform signing (XStream does not run constructors): read as empty.
    private final List<PlatformManifest> platforms;

    /** A manifest an image index lists, signed with it: shown folded under the index's row. */
    @ExportedBean(defaultVisibility = 4)
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

        @Exported
        public String getPlatform() {
            return platform;
        }

        @Exported
        public String getDigest() {
            return digest;
        }

        /** The digest abbreviated for the summary table (the full digest is its tooltip). */
        public String getShortDigest() {
            return abbreviate(digest);
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
        this.operation = operation;
        this.image = image;
        this.digest = digest;
        this.keyIds = new ArrayList<>(keyIds);
        this.verdict = verdict;
        this.reason = reason;
        this.policy = null;
        this.provenance = null;
        this.provenanceUrl = null;
        this.platforms = new ArrayList<>(platforms);
        this.identities = new ArrayList<>();
    }

    private ImageTrustRecord(
            ImageTrustRecord record, String policy, String provenance, String provenanceUrl, List<String> identities) {
        this.operation = record.operation;
        this.image = record.image;
        this.digest = record.digest;
        this.keyIds = record.keyIds;
        this.verdict = record.verdict;
        this.reason = record.reason;
        this.policy = policy;
        this.provenance = provenance;
        this.provenanceUrl = provenanceUrl;
        this.platforms = record.platforms;
        this.identities = new ArrayList<>(identities);
    }

    /** A step call that failed before it had a digest (bad input, registry down). */
    @NonNull
    public static ImageTrustRecord failed(@NonNull String operation, @NonNull String image, @NonNull String reason) {
        return new ImageTrustRecord(operation, image, null, List.of(), Verdict.FAILED, reason);
    }

    /** This record with the policy the verification was held to. */
    @NonNull
    public ImageTrustRecord withPolicy(@CheckForNull String policy) {
        return new ImageTrustRecord(this, policy, provenance, provenanceUrl, getIdentities());
    }

    /**
     * This record with the verified provenance: {@code description} such as "built by … from … at …" and the URL of
     * the build that made the image (shown as a link only when it is http or https).
     */
    @NonNull
    public ImageTrustRecord withProvenance(@NonNull String description, @CheckForNull String buildUrl) {
        String link = buildUrl != null && (buildUrl.startsWith("https://") || buildUrl.startsWith("http://"))
                ? buildUrl
                : null;
        return new ImageTrustRecord(this, policy, description, link, getIdentities());
    }

    /** This record with the trusted keyless identities whose signatures counted, by their names on the global page. */
    @NonNull
    public ImageTrustRecord withIdentities(@NonNull List<String> names) {
        return new ImageTrustRecord(this, policy, provenance, provenanceUrl, names);
    }

    /** The trusted keyless identities whose signatures counted (shown as "keyless: NAME" beside the key ids). */
    @Exported
    public List<String> getIdentities() {
        return identities == null ? List.of() : new ArrayList<>(identities);
    }

    @Exported
    @CheckForNull
    public String getProvenance() {
        return provenance;
    }

    @Exported
    @CheckForNull
    public String getProvenanceUrl() {
        return provenanceUrl;
    }

    @Exported
    public String getOperation() {
        return operation;
    }

    @Exported
    public String getImage() {
        return image;
    }

    @Exported
    @CheckForNull
    public String getDigest() {
        return digest;
    }

    @Exported
    public List<String> getKeyIds() {
        return new ArrayList<>(keyIds);
    }

    @Exported
    public Verdict getVerdict() {
        return verdict;
    }

    @Exported
    @CheckForNull
    public String getPolicy() {
        return policy;
    }

    /** {@code sha256:} and the first 12 hex digits, for the summary table (the full digest is its tooltip). */
    @CheckForNull
    public String getShortDigest() {
        return digest == null ? null : abbreviate(digest);
    }

    /** The key ids' first 12 hex digits, for the summary table (the full ids are their tooltips). */
    public List<String> getShortKeyIds() {
        List<String> shortIds = new ArrayList<>();
        for (String keyId : keyIds) {
            shortIds.add(abbreviate(keyId));
        }
        return shortIds;
    }

    /** Twelve hex digits identify a digest or key among any realistic number (the CLI's short form too). */
    private static String abbreviate(String hexOrDigest) {
        int hexStart = hexOrDigest.indexOf(':') + 1;
        return hexOrDigest.length() - hexStart <= 12 ? hexOrDigest : hexOrDigest.substring(0, hexStart + 12) + "…";
    }

    /** Lowercase verdict for display. */
    public String getVerdictLabel() {
        return verdict.label();
    }

    @Exported
    @CheckForNull
    public String getReason() {
        return reason;
    }

    /** For a signed image index: the manifests it lists that were signed with it; else empty. */
    @Exported
    public List<PlatformManifest> getPlatforms() {
        return platforms == null ? List.of() : new ArrayList<>(platforms);
    }
}
