package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.BundleSignatureReader;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignSignatureReader;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.verify.PolicyEvaluator;
import io.jenkins.plugins.imagetrust.engine.verify.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies images against a {@link TrustPolicy}: resolve the digest, fetch the cosign signatures in both formats (the
 * legacy {@code .sig} tag and the Sigstore bundles attached as OCI referrers), judge each one; a key counts once
 * whichever format (or both) it signed in.
 * An untrusted image is a report, not an exception; exceptions mean verification could not be completed.
 */
public final class ImageVerifier {
    private final RegistryClient registry;
    private final ProgressListener listener;
    private final ImageReference signatureRepository;
    private final CosignSignatureReader reader;
    private final BundleSignatureReader bundleReader;
    private final PolicyEvaluator evaluator;

    private ImageVerifier(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.listener = b.listener;
        this.signatureRepository = b.signatureRepository;
        this.reader = new CosignSignatureReader(registry, listener);
        this.bundleReader = new BundleSignatureReader(registry, listener);
        this.evaluator = new PolicyEvaluator(Objects.requireNonNull(b.policy, "policy"), b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public VerificationReport verify(ImageReference image) throws RegistryException {
        Digest digest = registry.resolve(image).digest();
        if (image.digest().isPresent() && !image.digest().get().equals(digest)) {
            throw new RegistryException(image.registry(), image.repository(), "resolve",
                    "the registry answered " + digest + " for " + image.digest().get());
        }
        listener.info("resolve", image + " is " + digest);
        ImageReference repository = signatureRepository != null ? signatureRepository.repositoryOnly() : image.repositoryOnly();
        List<SignatureCandidate> candidates = new ArrayList<>(reader.read(repository, digest));
        try {
            candidates.addAll(bundleReader.read(image.repositoryOnly(), repository, digest));
        } catch (RegistryException e) {
            // The referrers cannot be listed (a registry that answers them wrongly, a squatted fallback tag): the
            // bundles count for nothing, and the .sig signatures are still judged. Fewer signatures can never make
            // an image more trusted, and the report says why the bundles were not read.
            listener.warning("fetch-signatures", "the bundle signatures of " + digest.shortForm() + " could not be read: " + e.getMessage());
            candidates.add(SignatureCandidate.unusable(SignatureFormat.BUNDLE, "bundle:" + repository.name(), null,
                    RejectionReason.PAYLOAD_UNAVAILABLE, "the referrers could not be read: " + e.getMessage()));
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

        private Builder() {
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
