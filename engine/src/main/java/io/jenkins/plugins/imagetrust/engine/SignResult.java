package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.Optional;

/**
 * What was signed.
 *
 * @param image the image as requested (tag kept for display)
 * @param digest the manifest digest the signature covers
 * @param keyId the signing key's id
 * @param signatureRepository where the signature is stored
 * @param signatureTag the tag holding it, {@code sha256-<hex>.sig}
 * @param alreadyPresent true when the same key had already signed with the same annotations
 * @param notaryResult what was published to Notary (Docker Content Trust), or null when that was not asked for
 */
public record SignResult(ImageReference image, Digest digest, KeyId keyId, ImageReference signatureRepository, String signatureTag,
        boolean alreadyPresent, PublishResult notaryResult) {

    /** A result without Notary publishing. */
    public SignResult(ImageReference image, Digest digest, KeyId keyId, ImageReference signatureRepository, String signatureTag,
            boolean alreadyPresent) {
        this(image, digest, keyId, signatureRepository, signatureTag, alreadyPresent, null);
    }

    /** What was published to Notary (the tag's verified resolution, role version), when {@code ImageSigner.Builder.notary} was set. */
    public Optional<PublishResult> notary() {
        return Optional.ofNullable(notaryResult);
    }

    /** {@code registry/repository@digest}. */
    public String pinnedReference() {
        return image.repositoryOnly().withDigest(digest).pinned();
    }
}
