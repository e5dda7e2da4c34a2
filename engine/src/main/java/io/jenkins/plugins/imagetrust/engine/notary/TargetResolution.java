package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;

/**
 * A tag resolved through verified trust data: the manifest digest and size it is signed to, and the role
 * ({@code targets/releases} or {@code targets}) that signed it.
 */
public record TargetResolution(String gun, String tag, Digest digest, long length, String role) {
}
