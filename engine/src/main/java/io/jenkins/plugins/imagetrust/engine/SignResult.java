package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.BundlePublisher;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What was signed.
 *
 * @param image the image as requested (tag kept for display)
 * @param digest the manifest digest the signature covers
 * @param keyId the signing key's id
 * @param signatureRepository where the signature is stored
 * @param signatureTag the tag holding the legacy signature, {@code sha256-<hex>.sig}; null when only a bundle was written
 * @param alreadyPresent true when the same key had already signed with the same annotations in every format asked
 *        for, so nothing was written
 * @param notaryResult what was published to Notary (Docker Content Trust), or null when that was not asked for
 * @param signatureFormat the format(s) asked for
 * @param bundleResult what the bundle publish did, or null when no bundle was asked for
 * @param manifests when {@code digest} is an image index signed recursively: every manifest it lists (nested indexes
 *        and their manifests included, buildx attestation manifests left out), each signed like the index; else empty
 */
public record SignResult(ImageReference image, Digest digest, KeyId keyId, ImageReference signatureRepository, String signatureTag,
        boolean alreadyPresent, PublishResult notaryResult, SignatureFormat signatureFormat, BundlePublisher.Published bundleResult,
        List<SignedManifest> manifests) {

    public SignResult {
        Objects.requireNonNull(signatureFormat, "signatureFormat");
        manifests = List.copyOf(manifests);
    }

    /** What was published to Notary (the tag's verified resolution, role version), when {@code ImageSigner.Builder.notary} was set. */
    public Optional<PublishResult> notary() {
        return Optional.ofNullable(notaryResult);
    }

    /** The legacy {@code .sig} tag, when the legacy format was written. */
    public Optional<String> legacySignatureTag() {
        return Optional.ofNullable(signatureTag);
    }

    /** The bundle publish (referrer manifest digest, fallback tag), when the bundle format was written. */
    public Optional<BundlePublisher.Published> bundle() {
        return Optional.ofNullable(bundleResult);
    }

    /** The digest of the bundle's referrer manifest, when the bundle format was written. */
    public Optional<Digest> referrerDigest() {
        return bundle().map(BundlePublisher.Published::referrerDigest);
    }

    /** Whether nothing was written at all: the index (or image) and every manifest it lists were already signed. */
    public boolean allAlreadyPresent() {
        return alreadyPresent && manifests.stream().allMatch(SignedManifest::alreadyPresent);
    }

    /** {@code registry/repository@digest}. */
    public String pinnedReference() {
        return image.repositoryOnly().withDigest(digest).pinned();
    }
}
