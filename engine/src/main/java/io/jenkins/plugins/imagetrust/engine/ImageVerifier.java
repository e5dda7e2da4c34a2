package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.CosignStorages;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.ManifestUnknownException;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.verify.PolicyEvaluator;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies images against a {@link TrustPolicy}: resolve the digest, find its signatures in every storage format (the
 * legacy {@code .sig} tag and the Sigstore bundles attached as OCI referrers: {@link SignatureStorage#find}), judge
 * each one; a key counts once whichever format (or both) it signed in.
 * An untrusted image is a report, not an exception; exceptions mean verification could not be completed.
 * Multi-platform images: {@link Builder#platform} selects one platform's manifest of an index, and the policy's
 * {@code requireAllPlatforms} makes verifying an index verify every manifest it lists too.
 */
public final class ImageVerifier {
    private final RegistryClient registry;
    private final ProgressListener listener;
    private final ImageReference signatureRepository;
    private final List<SignatureStorage> storages;
    private final PolicyEvaluator evaluator;
    private final TrustPolicy policy;
    private final Platform platform;

    private ImageVerifier(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.listener = b.listener;
        this.signatureRepository = b.signatureRepository;
        this.storages = CosignStorages.all(registry, listener, b.clock);
        this.policy = Objects.requireNonNull(b.policy, "policy");
        this.evaluator = new PolicyEvaluator(policy, b.clock);
        this.platform = b.platform;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code image}: the manifest for the configured {@link Builder#platform platform} when one is set (an
     * index resolved to that platform's manifest), else the manifest the reference names, and, when the policy
     * {@linkplain TrustPolicy#requireAllPlatforms() requires all platforms} and that is an index, every manifest it lists.
     *
     * @throws io.jenkins.plugins.imagetrust.engine.registry.PlatformNotFoundException when the image has no manifest
     *         for the platform asked for (the message names those it has)
     */
    public VerificationReport verify(ImageReference image) throws RegistryException {
        Descriptor resolved = registry.resolve(image);
        Digest digest = resolved.digest(); // a pinned reference's own: RegistryClient.resolve refuses another answer
        listener.info("resolve", image + " is " + digest);
        if (platform != null) {
            PlatformManifest chosen = PlatformSelector.select(registry, image, resolved, platform, listener);
            VerificationReport report = verifyDigest(image, chosen.digest());
            return chosen.digest().equals(digest) ? report : report.forPlatform(chosen.platform(), chosen.parent());
        }
        VerificationReport report = verifyDigest(image, digest);
        if (!policy.requireAllPlatforms() || !MediaTypes.isIndex(resolved.mediaType())) {
            return report;
        }
        Manifest index = registry.fetchManifest(image.repositoryOnly(), digest.toString())
                .orElseThrow(() -> new ManifestUnknownException(image.registry(), image.repository(), "verify", 404, List.of(),
                        "the image index " + digest + " disappeared while it was verified"));
        List<VerificationReport> platforms = new ArrayList<>();
        for (PlatformManifest listed : IndexWalker.manifestsUnder(registry, image.repositoryOnly(), index, listener)) {
            platforms.add(verifyDigest(image, listed.digest()).forPlatform(listed.platform(), listed.parent()));
        }
        VerificationReport combined = report.withPlatformReports(platforms);
        listener.debug("verify", combined.summary());
        return combined;
    }

    /** Reads and judges the signatures of one manifest digest. */
    private VerificationReport verifyDigest(ImageReference image, Digest digest) throws RegistryException {
        ImageReference repository = signatureRepository != null ? signatureRepository.repositoryOnly() : image.repositoryOnly();
        List<SignatureCandidate> candidates = new ArrayList<>();
        for (SignatureStorage storage : storages) {
            candidates.addAll(storage.find(image.repositoryOnly(), repository, digest));
        }
        VerificationReport report = evaluator.evaluate(image, digest, candidates);
        // The verdict is the caller's to present (the CLI prints it on stdout, the plugin in the build log): as an
        // event it is detail, so that no front end shows it twice.
        listener.debug("verify", report.summary());
        return report;
    }

    /** Builds an {@link ImageVerifier}; registry and policy are required. */
    public static final class Builder {
        private RegistryClient registry;
        private TrustPolicy policy;
        private ProgressListener listener = ProgressListener.NONE;
        private Clock clock = Clock.systemUTC();
        private ImageReference signatureRepository;
        private Platform platform;

        private Builder() {
        }

        /**
         * Verify the manifest a runtime on this platform pulls: an image index is resolved to the manifest it lists for
         * the platform (what a deploy gate for, say, arm64 nodes needs); a single image must be for that platform.
         * Null (the default): verify what the reference names.
         */
        public Builder platform(Platform value) {
            this.platform = value;
            return this;
        }

        public Builder registry(RegistryClient value) {
            this.registry = value;
            return this;
        }

        public Builder policy(TrustPolicy value) {
            this.policy = value;
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /** The clock that judges key validity windows. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** Read signatures from this repository instead of the image's own. */
        public Builder signatureRepository(ImageReference value) {
            this.signatureRepository = value;
            return this;
        }

        public ImageVerifier build() {
            return new ImageVerifier(this);
        }
    }
}
