package io.jenkins.plugins.imagetrust.engine.notary;

/**
 * The outcome of a key rotation, read back through the verifier: the rotated role ({@code targets} or a
 * delegation such as {@code targets/releases}), the id of its new key, and the versions now published: root,
 * targets, and the delegation's own file ({@code 0} for a targets rotation, or a delegation that has signed
 * nothing yet).
 */
public record KeyRotationResult(String gun, String role, String newKeyId, long rootVersion, long targetsVersion, long delegationVersion) {
}
