package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;

/** A signature confirmed stored (written now, or found already there) in one format. */
public interface StoredSignature {
    SignatureFormat format();

    /** Whether the same key had already signed with equivalent annotations, so nothing was written. */
    boolean alreadyPresent();

    /** Where it is, for the sign log: e.g. {@code legacy sha256-<hex>.sig}. */
    String describe();

    /** Where it is in {@code repository}, for a message: e.g. {@code registry/repo:sha256-<hex>.sig}. */
    String location(ImageReference repository);
}
