package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;

/**
 * What was signed.
 *
 * @param image the image as requested (tag kept for display)
 * @param digest the manifest digest the signature covers
 * @param keyId the signing key's id
 * @param signatureRepository where the signature is stored
 * @param signatureTag the tag holding it, {@code sha256-<hex>.sig}
 * @param alreadyPresent true when the same key had already signed with the same annotations
 */
public record SignResult(ImageReference image, Digest digest, KeyId keyId, ImageReference signatureRepository, String signatureTag,
        boolean alreadyPresent) {

    /** {@code registry/repository@digest}. */
    public String pinnedReference() {
        return image.repositoryOnly().withDigest(digest).pinned();
    }
}
