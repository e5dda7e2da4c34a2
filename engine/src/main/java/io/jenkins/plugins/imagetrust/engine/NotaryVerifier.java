package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.TargetResolution;
import io.jenkins.plugins.imagetrust.engine.notary.TufException;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.util.Objects;

/**
 * Verifies images like {@code DOCKER_CONTENT_TRUST=1 docker pull}: resolve the tag through the repository's verified
 * Notary trust data (pinned or cached root, rollback and freeze checks), check the registry serves that digest with
 * that size, and, when an {@link ImageVerifier} is given, verify that digest's cosign signatures against its policy.
 * A tag Notary does not sign, or trust data that does not verify, is an exception ({@link NotaryException}): there
 * is then no digest to report.
 */
public final class NotaryVerifier {
    private final NotaryServer notary;
    private final RegistryClient registry;
    private final ImageVerifier imageVerifier;
    private final ProgressListener listener;

    private NotaryVerifier(Builder b) {
        this.notary = Objects.requireNonNull(b.notary, "Notary options are required");
        this.registry = b.registry;
        this.imageVerifier = b.imageVerifier;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves {@code image}'s tag through Notary, then (if configured) checks the registry and the cosign policy.
     *
     * @throws IllegalArgumentException if the image names no tag (Docker Content Trust signs tags)
     * @throws TufException if the trust data does not verify, or the tag resolves to another digest than the one
     *     the reference pins
     * @throws NotaryException if the tag is not signed ({@code TargetNotFoundException}) or the server failed
     * @throws RegistryException if the registry does not serve the signed digest with the signed size
     */
    public NotaryVerification verify(ImageReference image) throws NotaryException, RegistryException {
        String tag = image.tag().orElseThrow(() -> new IllegalArgumentException(
                "Docker Content Trust signs tags: " + image + " has none (a digest reference bypasses Notary, as with docker)"));
        TargetResolution resolution = notary.verifier(listener).verify(NotaryServer.gun(image)).resolve(tag);
        if (image.digest().isPresent() && !image.digest().get().equals(resolution.digest())) {
            throw new TufException(resolution.role(), image + " pins " + image.digest().get() + ", but Notary signs " + tag + " to " + resolution.digest());
        }
        ImageReference pinned = image.repositoryOnly().withTag(tag).withDigest(resolution.digest());
        listener.info("notary-verify", image + " → " + resolution.digest() + " (" + resolution.role() + ")");
        if (registry != null) {
            Descriptor served = registry.resolve(pinned);
            if (served.size() != resolution.length()) {
                throw new RegistryException(image.registry(), image.repository(), "resolve", "the registry serves " + resolution.digest() + " as "
                        + served.size() + " bytes, but Notary signed " + resolution.length());
            }
        }
        VerificationReport report = imageVerifier == null ? null : imageVerifier.verify(pinned);
        return new NotaryVerification(image, resolution, report);
    }

    /** Builds a {@link NotaryVerifier}; the Notary options are required. */
    public static final class Builder {
        private NotaryServer notary;
        private RegistryClient registry;
        private ImageVerifier imageVerifier;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        public Builder notary(NotaryServer value) {
            this.notary = value;
            return this;
        }

        /** Check that the registry serves the signed digest with the signed size (what docker pull would fetch). */
        public Builder registry(RegistryClient value) {
            this.registry = value;
            return this;
        }

        /** Also verify the resolved digest's cosign signatures with this verifier's policy. */
        public Builder imageVerifier(ImageVerifier value) {
            this.imageVerifier = value;
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        public NotaryVerifier build() {
            return new NotaryVerifier(this);
        }
    }
}
