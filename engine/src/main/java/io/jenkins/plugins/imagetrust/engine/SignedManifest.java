package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.BundlePublisher;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest an index lists, signed along with the index, with the same key and annotations, in the same formats.
 *
 * @param manifest its digest, platform and listing index
 * @param signatureTag the tag holding its legacy signature, or null when only a bundle was written
 * @param bundleResult its bundle referrer, or null when no bundle was written
 * @param alreadyPresent true when nothing needed writing (the same key had signed it with the same annotations)
 */
public record SignedManifest(PlatformManifest manifest, String signatureTag, BundlePublisher.Published bundleResult, boolean alreadyPresent) {
    public SignedManifest {
        Objects.requireNonNull(manifest, "manifest");
    }

    public Digest digest() {
        return manifest.digest();
    }

    public Optional<Platform> platform() {
        return manifest.platformIfStated();
    }

    /** The digest of the index that lists it. */
    public Digest parent() {
        return manifest.parent();
    }

    public Optional<String> legacySignatureTag() {
        return Optional.ofNullable(signatureTag);
    }

    public Optional<Digest> referrerDigest() {
        return Optional.ofNullable(bundleResult).map(BundlePublisher.Published::referrerDigest);
    }
}
