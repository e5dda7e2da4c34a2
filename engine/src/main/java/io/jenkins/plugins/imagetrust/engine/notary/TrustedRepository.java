package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SnapshotMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TimestampMetadata;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's trust data after every check passed: root, timestamp, snapshot, targets and the direct
 * delegations of targets that the snapshot lists. Tags resolve like docker: {@code targets/releases}, then
 * {@code targets}; other delegations (per-signer {@code targets/<name>}) do not decide the digest, but a
 * resolution reports every role that signs the tag to it ({@link TargetResolution#signedBy()}).
 */
public record TrustedRepository(String gun, RootMetadata root, TimestampMetadata timestamp, SnapshotMetadata snapshot,
        TargetsMetadata targets, Map<String, TargetsMetadata> delegations) {
    /** The roles a tag is looked up in, in order. */
    public static final List<String> LOOKUP_ORDER = List.of(RoleNames.RELEASES, RoleNames.TARGETS);

    public TrustedRepository {
        delegations = Map.copyOf(delegations);
    }

    /**
     * The digest {@code tag} is signed to.
     *
     * @throws TargetNotFoundException if neither role lists the tag
     * @throws DelegationPathException if {@code targets/releases} lists the tag outside the paths it was granted
     * @throws MalformedMetadataException if the target records no 32-byte sha256
     */
    public TargetResolution resolve(String tag) throws NotaryException {
        for (String role : LOOKUP_ORDER) {
            Optional<FileMeta> found = find(role, tag);
            if (found.isPresent()) {
                byte[] sha256 = found.get().hashes().get("sha256");
                if (sha256 == null || sha256.length != 32) {
                    throw new MalformedMetadataException(role, "target '" + tag + "' records no 32-byte sha256 hash");
                }
                return new TargetResolution(gun, tag, Digest.sha256FromRaw(sha256), found.get().length(), role, signersOf(tag, found.get()));
            }
        }
        throw new TargetNotFoundException(gun, tag);
    }

    /**
     * Every role that signs {@code tag} to exactly {@code meta} (length and sha256): the roles docker resolves
     * through ({@code targets/releases}, {@code targets}), then the other delegations in the order targets lists
     * them; a delegation listing the tag outside its paths does not count.
     */
    private List<String> signersOf(String tag, FileMeta meta) {
        List<String> roles = new ArrayList<>();
        for (String role : LOOKUP_ORDER) {
            if (signs(role, tag, meta)) {
                roles.add(role);
            }
        }
        for (DelegatedRole grant : targets.delegations()) {
            if (!LOOKUP_ORDER.contains(grant.name()) && signs(grant.name(), tag, meta)) {
                roles.add(grant.name());
            }
        }
        return roles;
    }

    private boolean signs(String role, String tag, FileMeta meta) {
        FileMeta listed;
        if (RoleNames.TARGETS.equals(role)) {
            listed = targets.targets().get(tag);
        } else {
            TargetsMetadata delegated = delegations.get(role);
            Optional<DelegatedRole> grant = targets.delegation(role);
            listed = delegated == null || grant.isEmpty() || !grant.get().allows(tag) ? null : delegated.targets().get(tag);
        }
        return sameTarget(listed, meta);
    }

    private static boolean sameTarget(FileMeta candidate, FileMeta meta) {
        return candidate != null && candidate.length() == meta.length()
                && MessageDigest.isEqual(candidate.hashes().get("sha256"), meta.hashes().get("sha256"));
    }

    private Optional<FileMeta> find(String role, String tag) throws DelegationPathException {
        if (RoleNames.TARGETS.equals(role)) {
            return Optional.ofNullable(targets.targets().get(tag));
        }
        TargetsMetadata delegated = delegations.get(role);
        if (delegated == null || !delegated.targets().containsKey(tag)) {
            return Optional.empty();
        }
        DelegatedRole grant = targets.delegation(role).orElseThrow();
        if (!grant.allows(tag)) {
            throw new DelegationPathException(role, tag, grant.paths());
        }
        return Optional.of(delegated.targets().get(tag));
    }
}
