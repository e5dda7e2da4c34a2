package io.jenkins.plugins.imagetrust.engine.notary;

import java.util.Optional;

/**
 * The outcome of revoking a tag, read back through the verifier: the role it was removed from, that role's new
 * version, and what the tag still resolves to through another role, if anything (removing it from
 * {@code targets/releases} uncovers a {@code targets} entry of the same name, which docker then pulls).
 */
public record RevokeResult(String gun, String tag, String role, long roleVersion, Optional<TargetResolution> stillResolvesTo) {
}
