package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.TufSignatures.SigningKey;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds and signs the files a client publishes, in docker's layout: root (root certificate key, targets key,
 * the server's snapshot and timestamp keys, threshold 1 each) and targets (tag → base64 sha256 and length,
 * {@code delegations} always present). Snapshot and timestamp are left to the server.
 */
public final class NotaryMetadataBuilder {
    /** notary's targets expiry: 3 years of 365 days. */
    public static final Duration TARGETS_VALIDITY = Duration.ofDays(1095);

    private NotaryMetadataBuilder() {
    }

    /** The target entry docker writes for a manifest: its length and the raw sha256 (base64 on the wire). */
    public static FileMeta target(Digest digest, long length) {
        if (!"sha256".equals(digest.algorithm())) {
            throw new IllegalArgumentException("Notary targets record sha256 digests, not " + digest.algorithm());
        }
        if (length <= 0) {
            throw new IllegalArgumentException("a manifest length must be positive, not " + length);
        }
        return new FileMeta(length, Map.of("sha256", digest.raw()));
    }

    /** Root v1 for a new repository, with the root certificate made for {@code gun}, signed by the root key. */
    public static Multipart.Part initialRoot(String gun, Signer rootSigner, Signer targetsSigner, TufKey snapshotKey, TufKey timestampKey,
            Instant now) throws KeyException, MalformedMetadataException {
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        TufKey rootKey = TufKey.forCertificate(NotaryRootCertificate.create(rootSigner, gun, issued));
        TufKey targetsKey = TufKey.forPublicKey(targetsSigner.publicKey());
        Map<String, TufKey> keys = new LinkedHashMap<>();
        for (TufKey key : List.of(rootKey, targetsKey, snapshotKey, timestampKey)) {
            keys.put(key.id(), key);
        }
        RootMetadata root = new RootMetadata(1, issued.plus(NotaryRootCertificate.VALIDITY), false, keys, Map.of(
                RoleNames.ROOT, new RoleKeys(List.of(rootKey.id()), 1),
                RoleNames.TARGETS, new RoleKeys(List.of(targetsKey.id()), 1),
                RoleNames.SNAPSHOT, new RoleKeys(List.of(snapshotKey.id()), 1),
                RoleNames.TIMESTAMP, new RoleKeys(List.of(timestampKey.id()), 1)));
        return new Multipart.Part(RoleNames.ROOT, TufSignatures.signEnvelope(root.toJson(), List.of(new SigningKey(rootSigner, rootKey.id()))));
    }

    /** Targets v1 of a new repository holding one tag. */
    public static Multipart.Part initialTargets(String tag, FileMeta target, Signer targetsSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        TargetsMetadata.checkTargetName(tag, RoleNames.TARGETS);
        TargetsMetadata targets = new TargetsMetadata(1, now.truncatedTo(ChronoUnit.SECONDS).plus(TARGETS_VALIDITY),
                Map.of(tag, target), Map.of(), List.of());
        return signedTargets(targets, targetsSigner);
    }

    /** The next version of {@code current} with {@code tag} added or replaced, expiry renewed. */
    public static Multipart.Part updatedTargets(TargetsMetadata current, String tag, FileMeta target, Signer targetsSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        TargetsMetadata.checkTargetName(tag, RoleNames.TARGETS);
        return signedTargets(current.withTarget(tag, target, current.version() + 1, now.truncatedTo(ChronoUnit.SECONDS).plus(TARGETS_VALIDITY)),
                targetsSigner);
    }

    /**
     * The next version of {@code current} delegating {@code targets/releases} (all paths, threshold 1) to
     * {@code delegateKey}, as {@code docker trust signer add} does; an existing releases delegation is replaced.
     */
    public static Multipart.Part delegatingReleases(TargetsMetadata current, TufKey delegateKey, Signer targetsSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        Map<String, TufKey> keys = new LinkedHashMap<>(current.delegationKeys());
        keys.put(delegateKey.id(), delegateKey);
        List<DelegatedRole> roles = new ArrayList<>(current.delegations().stream().filter(d -> !d.name().equals(RoleNames.RELEASES)).toList());
        roles.add(new DelegatedRole(RoleNames.RELEASES, new RoleKeys(List.of(delegateKey.id()), 1), List.of("")));
        TargetsMetadata updated = new TargetsMetadata(current.version() + 1, now.truncatedTo(ChronoUnit.SECONDS).plus(TARGETS_VALIDITY),
                current.targets(), keys, roles);
        return signedTargets(updated, targetsSigner);
    }

    /**
     * The next version of {@code current} that adds a named signer as {@code docker trust signer add} does:
     * {@code signerKey} is added to {@code targets/<name>} and to {@code targets/releases}, each created (threshold
     * 1, every path) if missing; other delegations and keys are kept.
     */
    public static Multipart.Part addingSigner(TargetsMetadata current, String signerRole, TufKey signerKey, Signer targetsSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        long version = current.version() + 1;
        Instant expires = renewedExpiry(now);
        TargetsMetadata updated = current.withDelegateKeyAdded(signerRole, signerKey, version, expires)
                .withDelegateKeyAdded(RoleNames.RELEASES, signerKey, version, expires);
        return signedTargets(updated, targetsSigner);
    }

    /** The next version of a delegation's targets (or its first, if {@code current} is null) with {@code tag} set. */
    public static Multipart.Part updatedDelegation(String role, TargetsMetadata current, String tag, FileMeta target, Signer delegateSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        TargetsMetadata.checkTargetName(tag, role);
        Instant expires = renewedExpiry(now);
        TargetsMetadata base = current != null ? current : new TargetsMetadata(0, expires, Map.of(), Map.of(), List.of());
        return signed(role, base.withTarget(tag, target, base.version() + 1, expires), delegateSigner);
    }

    /** The next version of {@code role} ({@code targets} or a delegation) without {@code tag}, expiry renewed. */
    public static Multipart.Part withoutTarget(String role, TargetsMetadata current, String tag, Signer signer, Instant now)
            throws KeyException, MalformedMetadataException {
        if (!current.targets().containsKey(tag)) {
            throw new IllegalArgumentException(role + " v" + current.version() + " does not list " + tag);
        }
        return signed(role, current.withoutTarget(tag, current.version() + 1, renewedExpiry(now)), signer);
    }

    /** The next version of {@code role}, unchanged but for its expiry, signed by {@code signer} (a rotated key). */
    public static Multipart.Part resigned(String role, TargetsMetadata current, Signer signer, Instant now)
            throws KeyException, MalformedMetadataException {
        TargetsMetadata next = new TargetsMetadata(current.version() + 1, renewedExpiry(now), current.targets(), current.delegationKeys(),
                current.delegations());
        return signed(role, next, signer);
    }

    /**
     * The next version of root in which top-level {@code role} is signed by {@code newKey}, signed by the root
     * key as root lists it ({@code rootKeyId}: its certificate key's id). The server accepts it only if it is
     * signed by the current root's keys.
     */
    public static Multipart.Part rotatedRoot(RootMetadata current, String role, TufKey newKey, Signer rootSigner, String rootKeyId)
            throws KeyException {
        RootMetadata next = current.withRoleKey(role, newKey);
        return new Multipart.Part(RoleNames.ROOT, TufSignatures.signEnvelope(next.toJson(), List.of(new SigningKey(rootSigner, rootKeyId))));
    }

    /**
     * The next version of root whose root role is {@code newRootSigner}'s key alone (threshold 1), published as
     * a new {@code ecdsa-x509} certificate {@code CN=<gun>} like the initial root's, expiring with it. It is
     * signed by the current root key (as root lists it: {@code oldRootKeyId}) and by the new one, because
     * clients accept a new root only if it meets the threshold of the root they trust and its own. The old key
     * is dropped from {@code keys}; the other roles are unchanged.
     */
    public static Multipart.Part rotatedRootKey(RootMetadata current, String gun, Signer oldRootSigner, String oldRootKeyId, Signer newRootSigner,
            Instant now) throws KeyException, MalformedMetadataException {
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        TufKey newRootKey = TufKey.forCertificate(NotaryRootCertificate.create(newRootSigner, gun, issued));
        RootMetadata next = current.withRoleKey(RoleNames.ROOT, newRootKey, issued.plus(NotaryRootCertificate.VALIDITY));
        return new Multipart.Part(RoleNames.ROOT, TufSignatures.signEnvelope(next.toJson(),
                List.of(new SigningKey(oldRootSigner, oldRootKeyId), new SigningKey(newRootSigner, newRootKey.id()))));
    }

    /** The next version of targets in which delegation {@code role} is signed by {@code newKey} alone. */
    public static Multipart.Part rotatedDelegationKey(TargetsMetadata current, String role, TufKey newKey, Signer targetsSigner, Instant now)
            throws KeyException, MalformedMetadataException {
        return signedTargets(current.withDelegationKey(role, newKey, current.version() + 1, renewedExpiry(now)), targetsSigner);
    }

    private static Instant renewedExpiry(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).plus(TARGETS_VALIDITY);
    }

    private static Multipart.Part signedTargets(TargetsMetadata targets, Signer targetsSigner) throws KeyException, MalformedMetadataException {
        return signed(RoleNames.TARGETS, targets, targetsSigner);
    }

    private static Multipart.Part signed(String role, TargetsMetadata metadata, Signer signer) throws KeyException, MalformedMetadataException {
        String keyId = TufKey.forPublicKey(signer.publicKey()).id();
        return new Multipart.Part(role, TufSignatures.signEnvelope(metadata.toJson(), List.of(new SigningKey(signer, keyId))));
    }
}
