package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.BundlePublisher;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignPublisher;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignatures;
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
 * @param notaryResult what was published to Notary (Docker Content Trust), or null when that was not asked for
 * @param signatureFormat the format(s) asked for
 * @param signatures the signature in each format written ({@link SignatureFormat#writes()})
 * @param manifests when {@code digest} is an image index signed recursively: every manifest it lists (nested indexes
 *        and their manifests included, buildx attestation manifests left out), each signed like the index; else empty
 * @param attestations the attestations written ({@link SignRequest#attestations()}), each format's, for the image and (for an
 *        index) each manifest it lists, in the order confirmed; empty when none were asked for
 */
public record SignResult(ImageReference image, Digest digest, KeyId keyId, ImageReference signatureRepository, PublishResult notaryResult,
        SignatureFormat signatureFormat, StoredSignatures signatures, List<SignedManifest> manifests,
        List<StoredSignature> attestations) {

    public SignResult {
        Objects.requireNonNull(signatureFormat, "signatureFormat");
        Objects.requireNonNull(signatures, "signatures");
        manifests = List.copyOf(manifests);
        attestations = List.copyOf(attestations);
    }

    /**
     * True when the same key had already signed with the same annotations in every format asked for, so nothing was
     * written.
     */
    public boolean alreadyPresent() {
        return signatures.alreadyPresent() && attestations.stream().allMatch(StoredSignature::alreadyPresent);
    }

    /** What was published to Notary (the tag's verified resolution, role version), when {@code ImageSigner.Builder.notary} was set. */
    public Optional<PublishResult> notary() {
        return Optional.ofNullable(notaryResult);
    }

    /** The legacy {@code .sig} tag, when the legacy format was written. */
    public Optional<String> legacySignatureTag() {
        return signatures.get(SignatureFormat.LEGACY, CosignPublisher.Published.class).map(CosignPublisher.Published::signatureTag);
    }

    /** The tag holding the legacy signature, {@code sha256-<hex>.sig}; null when only a bundle was written. */
    public String signatureTag() {
        return legacySignatureTag().orElse(null);
    }

    /** The bundle publish (referrer manifest digest, fallback tag), when the bundle format was written. */
    public Optional<BundlePublisher.Published> bundle() {
        return signatures.get(SignatureFormat.BUNDLE, BundlePublisher.Published.class);
    }

    /** The digest of the bundle's referrer manifest, when the bundle format was written. */
    public Optional<Digest> referrerDigest() {
        return bundle().map(BundlePublisher.Published::referrerDigest);
    }

    /** Whether nothing was written at all: the index (or image) and every manifest it lists were already signed. */
    public boolean allAlreadyPresent() {
        return alreadyPresent() && manifests.stream().allMatch(SignedManifest::alreadyPresent);
    }

    /** {@code registry/repository@digest}. */
    public String pinnedReference() {
        return image.repositoryOnly().withDigest(digest).pinned();
    }
}
