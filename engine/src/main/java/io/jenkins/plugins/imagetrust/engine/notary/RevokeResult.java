package io.jenkins.plugins.imagetrust.engine.notary;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of revoking a tag, read back through the verifier: the role it was removed from, that role's new
 * version, what the tag still resolves to through another role, if anything (removing it from
 * {@code targets/releases} uncovers a {@code targets} entry of the same name, which docker then pulls), and
 * every role it was removed from ({@code role} first, then per-signer {@code targets/<name>} roles the same key
 * had signed it into).
 */
public record RevokeResult(String gun, String tag, String role, long roleVersion, Optional<TargetResolution> stillResolvesTo,
        List<String> revokedFrom) {
    public RevokeResult {
        revokedFrom = List.copyOf(revokedFrom);
    }
}
