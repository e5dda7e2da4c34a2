package io.jenkins.plugins.imagetrust.engine.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of verifying one image: every signature found, whether it counted and why not, and the verdict.
 * Serialisable to the stable JSON documented in {@code docs/cli.md} ({@link #toJson()}).
 */
public final class VerificationReport {
    /** Version of the JSON form; bumped only on incompatible changes. */
    public static final int JSON_SCHEMA_VERSION = 1;

    private final ImageReference image;
    private final Digest digest;
    private final EnforcementMode mode;
    private final int threshold;
    private final Verdict verdict;
    private final List<SignatureCheck> signatures;
    private final Instant verifiedAt;
    private final Platform platform;
    private final Digest index;
    private final List<VerificationReport> platformReports;
    private final List<String> keysNotCounted;

    public VerificationReport(ImageReference image, Digest digest, EnforcementMode mode, int threshold, Verdict verdict,
            List<SignatureCheck> signatures, Instant verifiedAt) {
        this(image, digest, mode, threshold, verdict, signatures, verifiedAt, List.of());
    }

    /** @param keysNotCounted the names of the policy's trusted keys that have no counted signature, to name in {@link #reason()} */
    public VerificationReport(ImageReference image, Digest digest, EnforcementMode mode, int threshold, Verdict verdict,
            List<SignatureCheck> signatures, Instant verifiedAt, List<String> keysNotCounted) {
        this(image, digest, mode, threshold, verdict, signatures, verifiedAt, null, null, List.of(), keysNotCounted);
    }

    private VerificationReport(ImageReference image, Digest digest, EnforcementMode mode, int threshold, Verdict verdict,
            List<SignatureCheck> signatures, Instant verifiedAt, Platform platform, Digest index, List<VerificationReport> platformReports,
            List<String> keysNotCounted) {
        this.keysNotCounted = List.copyOf(keysNotCounted);
        this.image = Objects.requireNonNull(image);
        this.digest = Objects.requireNonNull(digest);
        this.mode = Objects.requireNonNull(mode);
        this.threshold = threshold;
        this.verdict = Objects.requireNonNull(verdict);
        this.signatures = List.copyOf(signatures);
        this.verifiedAt = Objects.requireNonNull(verifiedAt);
        this.platform = platform;
        this.index = index;
        this.platformReports = List.copyOf(platformReports);
    }

    /**
     * This report, for a platform manifest of {@code index}: what {@code verify --platform} selected, or one of the
     * manifests {@code requireAllPlatforms} verifies (platform null when the index states none).
     */
    public VerificationReport forPlatform(Platform listedPlatform, Digest listingIndex) {
        return new VerificationReport(image, digest, mode, threshold, verdict, signatures, verifiedAt, listedPlatform,
                Objects.requireNonNull(listingIndex), platformReports, keysNotCounted);
    }

    /**
     * This index's report with the reports of every platform manifest it lists ({@code requireAllPlatforms}): trusted
     * only when the index and each of them are ({@link Verdict#PLATFORM_NOT_TRUSTED} otherwise).
     */
    public VerificationReport withPlatformReports(List<VerificationReport> reports) {
        Verdict combined = verdict.trusted() && !reports.stream().allMatch(VerificationReport::trusted) ? Verdict.PLATFORM_NOT_TRUSTED : verdict;
        return new VerificationReport(image, digest, mode, threshold, combined, signatures, verifiedAt, platform, index, reports,
                keysNotCounted);
    }

    /** The platform this manifest was verified for, when it was selected from an index. */
    public Optional<Platform> platform() {
        return Optional.ofNullable(platform);
    }

    /** The index this manifest was selected from ({@code --platform}, {@code requireAllPlatforms}). */
    public Optional<Digest> index() {
        return Optional.ofNullable(index);
    }

    /** With {@code requireAllPlatforms} on an index: the report of each manifest it lists; else empty. */
    public List<VerificationReport> platformReports() {
        return platformReports;
    }

    /** The reference as the caller gave it (tag kept for display). */
    public ImageReference image() {
        return image;
    }

    /** The manifest digest that was verified. */
    public Digest digest() {
        return digest;
    }

    public EnforcementMode mode() {
        return mode;
    }

    public int threshold() {
        return threshold;
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean trusted() {
        return verdict.trusted();
    }

    public List<SignatureCheck> signatures() {
        return signatures;
    }

    public Instant verifiedAt() {
        return verifiedAt;
    }

    /** The distinct trusted keys whose signatures counted. */
    public Set<KeyId> countedKeys() {
        Set<KeyId> keys = new LinkedHashSet<>();
        signatures.stream().filter(SignatureCheck::counted).forEach(s -> s.keyId().ifPresent(keys::add));
        return keys;
    }

    /** The distinct trusted identities (keyless signers) whose signatures counted, by name. */
    public Set<String> countedIdentities() {
        Set<String> names = new LinkedHashSet<>();
        signatures.stream().filter(SignatureCheck::counted).forEach(s -> s.keyless().ifPresent(k -> names.add(k.identityName())));
        return names;
    }

    /** How many votes counted: distinct keys plus distinct identities. */
    private int countedVotes() {
        return countedKeys().size() + countedIdentities().size();
    }

    /** "trusted key(s)", or "trusted key(s) or identities" once an identity is involved. */
    private String signerWords() {
        boolean identities = signatures.stream().anyMatch(s -> s.keyless().isPresent());
        return identities ? "trusted key(s) or identities" : "trusted key(s)";
    }

    /** One human line: what was verified, by which keys, or why not. */
    public String summary() {
        String subject = image.repositoryOnly() + (image.tag().map(t -> ":" + t).orElse("")) + "@" + digest
                + (index == null ? "" : " (" + (platform == null ? "unknown platform" : platform.toString()) + " of " + index.shortForm() + ")");
        return reason().map(why -> "NOT verified " + subject + ": " + why)
                .orElseGet(() -> "verified " + subject + ": signed by " + countedVotes() + " " + signerWords() + ", " + threshold
                        + " required " + keyList()
                        + (platformReports.isEmpty() ? "" : ", and the " + platformReports.size() + " platform manifests it lists"));
    }

    /**
     * Why the image is not trusted (empty when it is): how many keys signed of how many required, which trusted keys
     * have no counted signature, and each distinct reason a signature was rejected. A good signature by a key that
     * already counted (the other format's copy of one signing) is no reason and is left out.
     */
    public Optional<String> reason() {
        if (verdict == Verdict.TRUSTED) {
            return Optional.empty();
        }
        if (verdict == Verdict.NO_SIGNATURES) {
            return Optional.of("no signatures found");
        }
        if (verdict == Verdict.PLATFORM_NOT_TRUSTED) {
            StringBuilder out = new StringBuilder("the index is signed, but not every platform manifest it lists is trusted");
            platformReports.stream().filter(r -> !r.trusted()).forEach(r -> out.append("; ")
                    .append(r.platform().map(Platform::toString).orElse("unknown platform")).append(' ').append(r.digest().shortForm())
                    .append(": ").append(r.reason().orElse("")));
            return Optional.of(out.toString());
        }
        StringBuilder out = new StringBuilder(countedVotes() + " " + signerWords() + " signed, " + threshold + " required");
        if (countedVotes() > 0) {
            out.append(' ').append(keyList());
        }
        if (!keysNotCounted.isEmpty()) {
            out.append("; no counted signature by ").append(String.join(", ", keysNotCounted));
        }
        Set<String> reasons = new LinkedHashSet<>();
        signatures.stream().filter(s -> !s.counted() && s.reason().filter(RejectionReason::isDuplicate).isEmpty())
                .forEach(s -> reasons.add(s.reason().map(Enum::name).orElse("") + ": " + s.detail()));
        reasons.forEach(r -> out.append("; ").append(r));
        return Optional.of(out.toString());
    }

    private String keyList() {
        StringBuilder out = new StringBuilder("[");
        for (SignatureCheck s : signatures) {
            if (s.counted()) {
                out.append(out.length() > 1 ? ", " : "").append(s.keyName().orElse("?")).append(' ')
                        .append(s.keyId().map(KeyId::shortForm).orElse(""))
                        .append(s.keyless().map(SignatureCheck.KeylessSigner::describe).orElse(""));
            }
        }
        return out.append(']').toString();
    }

    /** The stable JSON tree (schema in docs/cli.md). */
    public ObjectNode toJsonTree() {
        ObjectNode root = JsonMappers.lenient().createObjectNode();
        root.put("schemaVersion", JSON_SCHEMA_VERSION);
        root.put("image", image.toString());
        root.put("digest", digest.toString());
        root.put("verified", trusted());
        root.put("verdict", verdict.name());
        root.put("mode", mode.id());
        root.put("threshold", threshold);
        root.put("countedKeys", countedKeys().size());
        root.put("countedIdentities", countedIdentities().size());
        root.put("verifiedAt", verifiedAt.toString());
        ArrayNode list = root.putArray("signatures");
        for (SignatureCheck check : signatures) {
            ObjectNode s = list.addObject();
            s.put("source", check.source());
            s.put("format", check.format().id());
            s.put("payloadDigest", check.payloadDigest() == null ? null : check.payloadDigest().toString());
            s.put("keyId", check.keyId().map(KeyId::hex).orElse(null));
            s.put("keyName", check.keyName().orElse(null));
            check.keyless().ifPresent(k -> {
                ObjectNode identity = s.putObject("certificateIdentity");
                identity.put("trustedIdentity", k.identityName());
                identity.put("subject", k.certificate().subjectAlternativeName().orElse(null));
                identity.put("issuer", k.certificate().issuer().orElse(null));
            });
            s.put("counted", check.counted());
            s.put("reason", check.reason().map(Enum::name).orElse(null));
            s.put("detail", check.detail());
            ObjectNode annotations = s.putObject("annotations");
            check.annotations().forEach(annotations::put);
        }
        if (index != null) {
            root.put("platform", platform == null ? null : platform.toString());
            root.put("index", index.toString());
        }
        if (!platformReports.isEmpty()) {
            ArrayNode platforms = root.putArray("platforms");
            platformReports.forEach(report -> platforms.add(report.toJsonTree()));
        }
        return root;
    }

    /**
     * The JSON entry (same schema) of an image that could not be verified at all: its text as given, {@code verified}
     * false, {@code verdict} {@code ERROR} and the one-line {@code error}.
     */
    public static ObjectNode errorJsonTree(String image, String message) {
        ObjectNode error = JsonMappers.lenient().createObjectNode();
        error.put("schemaVersion", JSON_SCHEMA_VERSION);
        error.put("image", image);
        error.put("verified", false);
        error.put("verdict", "ERROR");
        error.put("error", message);
        return error;
    }

    /** The JSON document of a batch: the schema version and {@code results}, one entry per image in order. */
    public static ObjectNode resultsJsonTree(ArrayNode results) {
        ObjectNode root = JsonMappers.lenient().createObjectNode();
        root.put("schemaVersion", JSON_SCHEMA_VERSION);
        root.set("results", results);
        return root;
    }

    public String toJson() {
        try {
            return JsonMappers.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return summary();
    }
}
