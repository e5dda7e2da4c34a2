package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * The outcome of a publish, read back through the verifier: the tag's verified resolution, the version of
 * the role that now signs it ({@code targets} or {@code targets/releases}), whether the repository was initialised by this call, and whether the tag already
 * pointed at this digest (nothing was uploaded).
 */
public record PublishResult(TargetResolution resolution, long roleVersion, boolean initialised, boolean alreadyPresent) {
}
