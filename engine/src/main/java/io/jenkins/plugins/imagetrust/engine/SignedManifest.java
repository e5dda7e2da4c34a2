package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.cosign.BundlePublisher;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignPublisher;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignatures;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest an index lists, signed along with the index, with the same key and annotations, in the same formats.
 *
 * @param manifest its digest, platform and listing index
 * @param signatures its signature in each format written
 */
public record SignedManifest(PlatformManifest manifest, StoredSignatures signatures) {
    public SignedManifest {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(signatures, "signatures");
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

    /** True when nothing needed writing (the same key had signed it with the same annotations). */
    public boolean alreadyPresent() {
        return signatures.alreadyPresent();
    }

    /** The tag holding its legacy signature, when the legacy format was written. */
    public Optional<String> legacySignatureTag() {
        return signatures.get(SignatureFormat.LEGACY, CosignPublisher.Published.class).map(CosignPublisher.Published::signatureTag);
    }

    /** Its bundle referrer, when the bundle format was written. */
    public Optional<Digest> referrerDigest() {
        return signatures.get(SignatureFormat.BUNDLE, BundlePublisher.Published.class).map(BundlePublisher.Published::referrerDigest);
    }
}
