package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.List;

/**
 * A tag resolved through verified trust data: the manifest digest and size it is signed to, the role
 * ({@code targets/releases} or {@code targets}) it resolved through, as docker resolves it, and every verified role
 * that signs the tag to that same digest and size ({@code signedBy}: e.g. {@code targets/releases} and the
 * per-signer {@code targets/<name>} that {@code docker trust sign} also writes, which is what
 * {@code docker trust inspect} lists as the tag's signers).
 */
public record TargetResolution(String gun, String tag, Digest digest, long length, String role, List<String> signedBy) {
    public TargetResolution {
        signedBy = List.copyOf(signedBy);
    }

    /** A resolution signed by its own role only. */
    public TargetResolution(String gun, String tag, Digest digest, long length, String role) {
        this(gun, tag, digest, length, role, List.of(role));
    }

    /**
     * The signers as {@code docker trust inspect} names them: the per-signer delegations ({@code targets/<name>}
     * → {@code <name>}), without {@code targets} and {@code targets/releases}, which only release the tag.
     */
    public List<String> signerNames() {
        return signedBy.stream().filter(r -> !TrustedRepository.LOOKUP_ORDER.contains(r))
                .map(r -> r.substring(r.lastIndexOf('/') + 1)).toList();
    }
}
