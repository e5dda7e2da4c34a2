package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rotates a repository's keys, each in one upload that is read back and verified: the root key
 * ({@link #rotateRootKey}), the targets key ({@link #rotateTargetsKey}) or a delegation's key
 * ({@link #rotateDelegationKey}).
 */
public final class NotaryKeyRotation {
    private final NotaryWriters writers;

    NotaryKeyRotation(NotaryWriters writers) {
        this.writers = writers;
    }

    /**
     * Rotates the targets key: publishes, in one upload, the next root version (signed by the root key) listing
     * {@code newTargetsSigner}'s key as the only targets key, and targets re-signed with it one version up. The
     * old targets key is not needed (it may be the reason for the rotation) and signs nothing afterwards.
     *
     * @param rootSigner the repository's root key: it pins the current root and signs the new one
     * @throws NotaryException if {@code rootSigner} is not a root key of the repository, or the new key already is the targets key
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public KeyRotationResult rotateTargetsKey(String gun, Signer rootSigner, Signer newTargetsSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        Objects.requireNonNull(rootSigner, "rotating the targets key needs the root key");
        RootPin pin = writers.pinFor(Optional.of(rootSigner));
        TrustedRepository current = writers.verifier(pin).verify(gun);
        String rootKeyId = NotaryWriters.rootKeyIdOf(current, rootSigner);
        TufKey newKey = TufKey.forPublicKey(newTargetsSigner.publicKey());
        if (current.root().role(RoleNames.TARGETS).keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException(newKey.id() + " already is the targets key of " + gun + "; nothing to rotate");
        }
        Instant now = writers.clock.instant();
        writers.client.publish(gun, List.of(
                NotaryMetadataBuilder.rotatedRoot(current.root(), RoleNames.TARGETS, newKey, rootSigner, rootKeyId),
                NotaryMetadataBuilder.resigned(RoleNames.TARGETS, current.targets(), newTargetsSigner, now)));

        TrustedRepository published = writers.verifier(pin).verify(gun);
        if (!published.root().role(RoleNames.TARGETS).keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException("after rotating, the root of " + gun + " lists targets keys "
                    + published.root().role(RoleNames.TARGETS).keyIds() + ", not " + newKey.id());
        }
        writers.listener.info("notary-publish", gun + ": targets key rotated to " + newKey.id().substring(0, 12) + " (root v"
                + published.root().version() + ", targets v" + published.targets().version() + ")");
        return new KeyRotationResult(gun, RoleNames.TARGETS, newKey.id(), published.root().version(), published.targets().version(), 0);
    }

    /**
     * Rotates the root key: publishes root one version up whose root role is {@code newRootSigner}'s key alone,
     * as a new {@code ecdsa-x509} certificate {@code CN=<gun>}, signed by both the current and the new root key
     * (clients accept a new root only if it meets the threshold of the root they trust and its own). Targets,
     * snapshot and timestamp keys are unchanged. Clients that trust the old root (a trust cache, a pinned
     * {@code root.json}, docker's and notary's trust folders) follow the rotation; a verifier pinned to the old
     * root <em>key</em> ({@link RootPin#rootKey}) must be given the new one.
     *
     * @param rootSigner the current root key: it pins the current root and signs the new one
     * @param newRootSigner the new root key (ECDSA, as notary's root certificates are)
     * @throws NotaryException if {@code rootSigner} is not the root key, the root needs more than one
     *     signature, or the new key already is a root key
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public KeyRotationResult rotateRootKey(String gun, Signer rootSigner, Signer newRootSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        Objects.requireNonNull(rootSigner, "rotating the root key needs the current root key");
        Objects.requireNonNull(newRootSigner, "rotating the root key needs the new root key");
        TrustedRepository current = writers.verifier(writers.pinFor(Optional.of(rootSigner))).verify(gun);
        String oldRootKeyId = NotaryWriters.rootKeyIdOf(current, rootSigner);
        int threshold = current.root().role(RoleNames.ROOT).threshold();
        if (threshold > 1) {
            throw new NotaryException("the root of " + gun + " needs " + threshold + " root key signatures; one root key cannot rotate it");
        }
        if (NotaryWriters.isRootKey(current, newRootSigner)) {
            throw new NotaryException("the new key " + NotaryWriters.keyId(newRootSigner) + " already is a root key of " + gun + "; nothing to rotate");
        }
        Multipart.Part newRoot = NotaryMetadataBuilder.rotatedRootKey(current.root(), gun, rootSigner, oldRootKeyId, newRootSigner, writers.clock.instant());
        writers.client.publish(gun, List.of(newRoot));

        // The cache now trusts the old root: the read-back walks from it to the new one, pinned to the new key.
        TrustedRepository published = writers.verifier(writers.pinFor(Optional.of(newRootSigner))).verify(gun);
        if (published.root().version() != current.root().version() + 1 || !NotaryWriters.isRootKey(published, newRootSigner)) {
            throw new NotaryException("after rotating, the root of " + gun + " is v" + published.root().version() + " with root keys "
                    + published.root().role(RoleNames.ROOT).keyIds() + ", not v" + (current.root().version() + 1) + " with the new key");
        }
        String newKeyId = NotaryWriters.rootKeyIdOf(published, newRootSigner);
        writers.listener.info("notary-publish", gun + ": root key rotated from " + oldRootKeyId.substring(0, 12) + " to " + newKeyId.substring(0, 12)
                + " (root v" + published.root().version() + ")");
        return new KeyRotationResult(gun, RoleNames.ROOT, newKeyId, published.root().version(), published.targets().version(), 0);
    }

    /**
     * Rotates the key of a delegation of targets (e.g. {@code targets/releases}): publishes, in one upload,
     * targets one version up (signed by the targets key) delegating {@code role} to {@code newDelegateSigner}'s
     * key alone (same paths, threshold 1), and the delegation's own file, if it has one, re-signed with the new
     * key. The old delegation key is not needed.
     *
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link NotaryWriters.Builder#existingRootPin})
     * @throws NotaryException if targets does not delegate {@code role}, {@code targetsSigner} is not the
     *     targets key, or the new key already is the delegation's only key
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public KeyRotationResult rotateDelegationKey(String gun, String role, Signer targetsSigner, Signer rootSigner, Signer newDelegateSigner)
            throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        RootPin pin = writers.pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = writers.verifier(pin).verify(gun);
        DelegatedRole delegation = current.targets().delegation(role)
                .orElseThrow(() -> new NotaryException("targets of " + gun + " delegates no role " + role + " (it delegates "
                        + current.targets().delegations().stream().map(DelegatedRole::name).toList() + ")"));
        NotaryWriters.requireTargetsKey(current, targetsSigner);
        TufKey newKey = TufKey.forPublicKey(newDelegateSigner.publicKey());
        if (delegation.keys().keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException(newKey.id() + " already is the key of " + role + " in " + gun + "; nothing to rotate");
        }
        Instant now = writers.clock.instant();
        List<Multipart.Part> parts = new ArrayList<>();
        parts.add(NotaryMetadataBuilder.rotatedDelegationKey(current.targets(), role, newKey, targetsSigner, now));
        TargetsMetadata delegated = current.delegations().get(role);
        if (delegated != null) {
            parts.add(NotaryMetadataBuilder.resigned(role, delegated, newDelegateSigner, now));
        }
        writers.client.publish(gun, parts);

        TrustedRepository published = writers.verifier(pin).verify(gun);
        List<String> keys = published.targets().delegation(role).map(d -> d.keys().keyIds()).orElse(List.of());
        if (!keys.equals(List.of(newKey.id()))) {
            throw new NotaryException("after rotating, targets of " + gun + " delegates " + role + " to " + keys + ", not " + newKey.id());
        }
        TargetsMetadata delegatedAfter = published.delegations().get(role);
        long delegationVersion = delegatedAfter == null ? 0 : delegatedAfter.version();
        writers.listener.info("notary-publish", gun + ": " + role + " key rotated to " + newKey.id().substring(0, 12) + " (targets v"
                + published.targets().version() + (delegatedAfter == null ? "" : ", " + role + " v" + delegationVersion) + ")");
        return new KeyRotationResult(gun, role, newKey.id(), published.root().version(), published.targets().version(), delegationVersion);
    }
}
