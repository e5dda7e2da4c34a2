package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.CosignPublisher;
import io.jenkins.plugins.imagetrust.engine.cosign.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.Objects;

/**
 * Signs images in the cosign signature format: resolve the digest, refuse a tag that moved, sign the simple-signing
 * payload, append it to the {@code .sig} manifest. Built once and reused; thread-safe.
 */
public final class ImageSigner {
    private final RegistryClient registry;
    private final Signer signer;
    private final ProgressListener listener;
    private final ImageReference signatureRepository;
    private final CosignPublisher publisher;

    private ImageSigner(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.signer = Objects.requireNonNull(b.signer, "signer");
        this.listener = b.listener;
        this.signatureRepository = b.signatureRepository;
        this.publisher = new CosignPublisher(registry, listener);
    }

    public static Builder builder() {
        return new Builder();
    }

    public SignResult sign(SignRequest request) throws RegistryException, KeyException, SigningException {
        ImageReference image = request.image();
        Digest digest = digestToSign(request);
        ImageReference repository = signatureRepository != null ? signatureRepository.repositoryOnly() : image.repositoryOnly();
        CosignPublisher.Published published;
        try {
            published = publisher.publish(image, repository, digest, signer, request.annotations());
        } catch (SignaturePublishException e) {
            throw new SigningException(e.getMessage(), e);
        }
        listener.info("sign", (published.alreadyPresent() ? "already signed " : "signed ") + image.repositoryOnly().withDigest(digest).pinned()
                + " with key " + signer.keyId());
        return new SignResult(image, digest, signer.keyId(), repository, published.signatureTag(), published.alreadyPresent());
    }

    private Digest digestToSign(SignRequest request) throws RegistryException, SigningException {
        ImageReference image = request.image();
        Descriptor current = registry.resolve(image);
        if (image.digest().isPresent()) {
            if (request.expectedDigest().isPresent() && !request.expectedDigest().get().equals(image.digest().get())) {
                throw new SigningException("the reference names " + image.digest().get() + " but the expected digest is "
                        + request.expectedDigest().get() + ": refusing to guess which to sign");
            }
            listener.info("resolve", image + " exists in the registry");
            return image.digest().get();
        }
        Digest now = current.digest();
        if (request.expectedDigest().isEmpty()) {
            listener.info("resolve", image + " is " + now + " at the registry now (no digest from the build to compare with)");
            return now;
        }
        Digest expected = request.expectedDigest().get();
        if (expected.equals(now)) {
            listener.info("resolve", image + " is " + now + ", the digest this build pushed");
            return now;
        }
        if (request.signRegistryDigest()) {
            listener.warning("resolve", image + " now names " + now + ", not the expected " + expected + "; signing the registry's digest as asked");
            return now;
        }
        throw new SigningException("the tag moved: " + image + " now names " + now + " at the registry, but the build pushed "
                + expected + "; refusing to sign (sign the pushed digest by reference, or allow signing the registry's digest)");
    }

    /** Builds an {@link ImageSigner}; registry and signer are required. */
    public static final class Builder {
        private RegistryClient registry;
        private Signer signer;
        private ProgressListener listener = ProgressListener.NONE;
        private ImageReference signatureRepository;

        private Builder() {
        }

        public Builder registry(RegistryClient value) {
            this.registry = value;
            return this;
        }

        public Builder signer(Signer value) {
            this.signer = value;
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /** Store signatures in this repository instead of the image's own (cosign's COSIGN_REPOSITORY). */
        public Builder signatureRepository(ImageReference value) {
            this.signatureRepository = value;
            return this;
        }

        public ImageSigner build() {
            return new ImageSigner(this);
        }
    }
}
