package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.attestation.AttestationEvaluation;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationOutcome;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationReason;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationVerifier;
import io.jenkins.plugins.imagetrust.engine.attestation.RejectedAttestation;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignStorages;
import io.jenkins.plugins.imagetrust.engine.cosign.InTotoStatement;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.AttestationCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the attestations of an image against required attestations: resolve the digest (one platform's manifest
 * of an index when asked), find its attestations in every storage format ({@link SignatureStorage#findAttestations}),
 * verify each ({@link AttestationVerifier}: a trusted key's signature over the PAE, an in-toto statement about this
 * digest, a predicate type asked for) and judge the requirements ({@link AttestationEvaluation}). An unsatisfied
 * requirement is a report, not an exception; exceptions mean the registry could not be asked.
 */
public final class AttestationVerification {
    private final RegistryClient registry;
    private final ProgressListener listener;
    private final ImageReference signatureRepository;
    private final List<SignatureStorage> storages;
    private final List<TrustedKey> keys;
    private final List<AttestationRequirement> requirements;
    private final Clock clock;
    private final Platform platform;

    private AttestationVerification(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.listener = b.listener;
        this.signatureRepository = b.signatureRepository;
        this.storages = CosignStorages.all(registry, listener, b.clock);
        this.keys = List.copyOf(b.keys);
        this.requirements = List.copyOf(b.requirements);
        this.clock = b.clock;
        this.platform = b.platform;
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no trusted key to verify attestations with");
        }
        if (requirements.isEmpty()) {
            throw new IllegalArgumentException("no required attestation: name at least one predicate type");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the attestations of {@code image} (the configured platform's manifest of an index, when one is set).
     *
     * @throws io.jenkins.plugins.imagetrust.engine.registry.PlatformNotFoundException when the image has no manifest
     *         for the platform asked for
     */
    public AttestationReport verify(ImageReference image) throws RegistryException {
        Descriptor resolved = registry.resolve(image);
        Digest digest = platform == null ? resolved.digest() : PlatformSelector.select(registry, image, resolved, platform, listener).digest();
        listener.info("resolve", image + " is " + digest);
        ImageReference repository = signatureRepository != null ? signatureRepository.repositoryOnly() : image.repositoryOnly();
        Set<String> predicateTypes = AttestationRequirement.predicateTypes(requirements);
        List<AttestationReport.Found> found = new ArrayList<>();
        List<AttestationOutcome> outcomes = new ArrayList<>();
        for (SignatureStorage storage : storages) {
            for (AttestationCandidate candidate : storage.findAttestations(repository, digest)) {
                AttestationOutcome outcome = AttestationVerifier.verify(candidate, digest, keys, clock.instant(), predicateTypes);
                if (isImageSignature(outcome)) {
                    continue; // a cosign 3 signature bundle among the referrers: a signature, not an attestation
                }
                found.add(new AttestationReport.Found(candidate.format(), candidate.source(), outcome));
                outcomes.add(outcome);
            }
        }
        AttestationReport report = new AttestationReport(image, digest, found, AttestationEvaluation.evaluate(requirements, outcomes));
        listener.debug("verify-attestation", report.summary());
        return report;
    }

    private static boolean isImageSignature(AttestationOutcome outcome) {
        return outcome instanceof RejectedAttestation rejected && rejected.reason() == AttestationReason.PREDICATE_TYPE_NOT_REQUIRED
                && rejected.predicateType().filter(InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE::equals).isPresent();
    }

    /** Builds an {@link AttestationVerification}; registry, keys and requirements are required. */
    public static final class Builder {
        private RegistryClient registry;
        private ProgressListener listener = ProgressListener.NONE;
        private Clock clock = Clock.systemUTC();
        private ImageReference signatureRepository;
        private Platform platform;
        private final List<TrustedKey> keys = new ArrayList<>();
        private final List<AttestationRequirement> requirements = new ArrayList<>();

        private Builder() {
        }

        public Builder registry(RegistryClient value) {
            this.registry = value;
            return this;
        }

        /** The trusted keys (a policy's {@code keys()}): an attestation counts only signed by one usable now. */
        public Builder keys(List<TrustedKey> values) {
            keys.clear();
            keys.addAll(values);
            return this;
        }

        /** What must be attested ({@code requiredAttestations}, or {@link AttestationRequirement#of} a predicate type). */
        public Builder requirements(List<AttestationRequirement> values) {
            requirements.clear();
            requirements.addAll(values);
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

        /** Read attestations from this repository instead of the image's own. */
        public Builder signatureRepository(ImageReference value) {
            this.signatureRepository = value;
            return this;
        }

        /** Verify the attestations of the manifest a runtime on this platform pulls; null (default): what the reference names. */
        public Builder platform(Platform value) {
            this.platform = value;
            return this;
        }

        public AttestationVerification build() {
            return new AttestationVerification(this);
        }
    }
}
