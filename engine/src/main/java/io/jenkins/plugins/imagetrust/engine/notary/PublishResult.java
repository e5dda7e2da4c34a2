package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * The outcome of a publish, read back through the verifier: the tag's verified resolution, the targets
 * version now published, whether the repository was initialised by this call, and whether the tag already
 * pointed at this digest (nothing was uploaded).
 */
public record PublishResult(TargetResolution resolution, long targetsVersion, boolean initialised, boolean alreadyPresent) {
}
