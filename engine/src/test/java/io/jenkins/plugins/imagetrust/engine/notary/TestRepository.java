package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.TufSignatures.SigningKey;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SnapshotMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TimestampMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete repository signed with fresh in-memory keys (all four roles client-side), which tests bend into
 * attacks: change a field, sign with the wrong key, then {@link #publish()} and verify through {@link #fetcher()}.
 */
final class TestRepository {
    static final String GUN = "registry.test:5000/team/app";
    static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    Signer rootKey = TestSigners.ecdsa();
    /** Former root keys that also sign root (a rotation must be signed by the previous root). */
    List<Signer> previousRootKeys = List.of();
    final Signer targetsKey = TestSigners.ecdsa();
    final Signer snapshotKey = TestSigners.ecdsa();
    final Signer timestampKey = TestSigners.ecdsa();
    final Signer releasesKey = TestSigners.ecdsa();

    long rootVersion = 1;
    long targetsVersion = 1;
    long snapshotVersion = 1;
    long timestampVersion = 1;
    Instant timestampExpires = NOW.plus(Duration.ofDays(14));
    Instant otherExpires = NOW.plus(Duration.ofDays(1095));
    /** Keys root lists for targets (default: the targets key) and the threshold. */
    List<Signer> targetsRoleKeys = new ArrayList<>(List.of(targetsKey));
    int targetsThreshold = 1;
    /** Who actually signs targets (default: the targets key). */
    List<Signer> targetsSigners = new ArrayList<>(List.of(targetsKey));
    final Map<String, FileMeta> targets = new LinkedHashMap<>();
    /** Targets of {@code targets/releases}; the delegation exists only if this is not null. */
    Map<String, FileMeta> releases;
    List<String> releasesPaths = List.of("");

    final Map<String, byte[]> files = new HashMap<>();
    private long signedRootVersion;

    static TufKey key(Signer signer) {
        try {
            return TufKey.forPublicKey(signer.publicKey());
        } catch (MalformedMetadataException e) {
            throw new IllegalStateException(e);
        }
    }

    static SigningKey signing(Signer signer) {
        return new SigningKey(signer, key(signer).id());
    }

    static FileMeta target(byte[] manifest) {
        return new FileMeta(manifest.length, Map.of("sha256", io.jenkins.plugins.imagetrust.engine.reference.Digest.sha256(manifest).raw()));
    }

    TestRepository publish() throws Exception {
        Map<String, TufKey> keys = new LinkedHashMap<>();
        for (Signer signer : List.of(rootKey, snapshotKey, timestampKey)) {
            keys.put(key(signer).id(), key(signer));
        }
        targetsRoleKeys.forEach(s -> keys.put(key(s).id(), key(s)));
        RootMetadata root = new RootMetadata(rootVersion, otherExpires, false, keys, Map.of(
                "root", new RoleKeys(List.of(key(rootKey).id()), 1),
                "targets", new RoleKeys(targetsRoleKeys.stream().map(s -> key(s).id()).toList(), targetsThreshold),
                "snapshot", new RoleKeys(List.of(key(snapshotKey).id()), 1),
                "timestamp", new RoleKeys(List.of(key(timestampKey).id()), 1)));
        if (!files.containsKey("root") || signedRootVersion != rootVersion) {
            // ECDSA signatures are randomised: re-sign root only when it changes, as a real publisher does.
            List<SigningKey> rootSigners = new ArrayList<>(List.of(signing(rootKey)));
            previousRootKeys.forEach(k -> rootSigners.add(signing(k)));
            files.put("root", TufSignatures.signEnvelope(root.toJson(), rootSigners));
            files.put(rootVersion + ".root", files.get("root"));
            signedRootVersion = rootVersion;
        }

        List<DelegatedRole> delegations = releases == null ? List.of()
                : List.of(new DelegatedRole("targets/releases", new RoleKeys(List.of(key(releasesKey).id()), 1), releasesPaths));
        Map<String, TufKey> delegationKeys = releases == null ? Map.of() : Map.of(key(releasesKey).id(), key(releasesKey));
        TargetsMetadata targetsBody = new TargetsMetadata(targetsVersion, otherExpires, targets, delegationKeys, delegations);
        files.put("targets", TufSignatures.signEnvelope(targetsBody.toJson(), targetsSigners.stream().map(TestRepository::signing).toList()));
        Map<String, FileMeta> meta = new LinkedHashMap<>();
        meta.put("root", FileMeta.of(files.get("root")));
        meta.put("targets", FileMeta.of(files.get("targets")));
        if (releases != null) {
            TargetsMetadata releasesBody = new TargetsMetadata(1, otherExpires, releases, Map.of(), List.of());
            files.put("targets/releases", TufSignatures.signEnvelope(releasesBody.toJson(), List.of(signing(releasesKey))));
            meta.put("targets/releases", FileMeta.of(files.get("targets/releases")));
        }
        SnapshotMetadata snapshot = new SnapshotMetadata(snapshotVersion, otherExpires, meta);
        files.put("snapshot", TufSignatures.signEnvelope(snapshot.toJson(), List.of(signing(snapshotKey))));
        TimestampMetadata timestamp = new TimestampMetadata(timestampVersion, timestampExpires, FileMeta.of(files.get("snapshot")));
        files.put("timestamp", TufSignatures.signEnvelope(timestamp.toJson(), List.of(signing(timestampKey))));
        return this;
    }

    /** Serves {@link #files} by role name and by sha256 checksum name, like notary-server. */
    MetadataFetcher fetcher() {
        return (gun, name, maxBytes) -> {
            String role = MetadataNames.roleOf(name);
            String checksum = MetadataNames.checksumOf(name);
            byte[] bytes = checksum == null ? files.get(name) : files.get(role);
            if (bytes == null || (checksum != null && !checksum.equals(HexFormat.of().formatHex(
                    io.jenkins.plugins.imagetrust.engine.reference.Digest.sha256(bytes).raw())))) {
                throw new MetadataNotFoundException(gun, name);
            }
            if (bytes.length > maxBytes) {
                throw new MetadataTooLargeException(role, maxBytes);
            }
            return bytes.clone();
        };
    }
}
