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
 * Signs a tag into a repository's Notary trust data, like {@code DOCKER_CONTENT_TRUST=1 docker push}: the tag
 * goes straight into {@code targets} (no delegations); snapshot and timestamp stay server-managed. A new
 * repository is initialised (root with the {@code ecdsa-x509} root certificate, targets key, the server's
 * keys) in the same single multipart POST. An existing repository is first verified (pinned to the given root
 * key, else to the configured pin) and its targets re-signed one version up. The result is read back and
 * verified before it is reported. It also revokes tags ({@link #revoke}) and rotates the root key
 * ({@link #rotateRootKey}), the targets key ({@link #rotateTargetsKey}) or a delegation's key
 * ({@link #rotateDelegationKey}), each in one upload.
 */
public final class NotaryPublisher {
    /** docker's rule for signer names ({@code docker trust signer add}). */
    private static final Pattern SIGNER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** Uploads refused as stale (another publisher was faster) before a publish gives up. */
    private static final int MAX_PUBLISH_ATTEMPTS = 8;

    private final NotaryClient client;
    private final Clock clock;
    private final TrustCache cache;
    private final RootPin existingRootPin;
    private final ProgressListener listener;

    private NotaryPublisher(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "a Notary client is required");
        this.clock = builder.clock;
        this.cache = builder.cache;
        this.existingRootPin = builder.existingRootPin;
        this.listener = builder.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes {@code request.tag()} → digest and length.
     *
     * @throws NotaryServerException if the server rejects the upload (its code and reason included); the
     *     server then stored nothing
     * @throws TufException if the repository's current trust data does not verify
     * @throws KeyException if a key cannot sign
     */
    public PublishResult publish(PublishRequest request) throws NotaryException, KeyException {
        MetadataNames.checkGun(request.gun());
        long backoffMillis = 50;
        for (int attempt = 1; ; attempt++) {
            try {
                return publishOnce(request);
            } catch (NotaryServerException e) {
                if (!staleVersion(e) || attempt >= MAX_PUBLISH_ATTEMPTS) {
                    throw e;
                }
                // Another publisher's update landed between our read and our upload; the server stored nothing of ours.
                listener.warning("notary-publish", "another publisher updated " + request.gun() + " at the same time (" + e.getMessage()
                        + "); reading it again and re-signing (attempt " + (attempt + 1) + ")");
                try {
                    Thread.sleep(backoffMillis / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new NotaryException("interrupted while retrying the publish of " + request.gun() + ":" + request.tag()
                            + "; nothing of it was stored");
                }
                backoffMillis = Math.min(backoffMillis * 2, 1000);
            }
        }
    }

    /**
     * notary-server refuses an update built on a version another publisher has already replaced: {@code VERSION}
     * ("a newer version of metadata is already available", HTTP 400) or 409. Nothing was stored; re-read and retry.
     */
    private static boolean staleVersion(NotaryServerException e) {
        return e.status() == 409 || e.code().filter(code -> code.equals("VERSION")).isPresent();
    }

    private PublishResult publishOnce(PublishRequest request) throws NotaryException, KeyException {
        FileMeta target = NotaryMetadataBuilder.target(request.digest(), request.length());
        Instant now = clock.instant();
        Optional<byte[]> currentRoot = currentRoot(request.gun());
        if (currentRoot.isEmpty()) {
            Optional<Signer> rootSigner = request.root();
            if (rootSigner.isEmpty()) {
                throw new NotaryException(request.gun() + " has no trust data yet; initialising it needs the root key");
            }
            // Both keys are read before the server is asked for its keys (which it creates on the first request).
            listener.info("notary-publish", "initialising trust data of " + request.gun() + " (root key "
                    + TufKey.forPublicKey(rootSigner.get().publicKey()).id().substring(0, 12) + ", targets key "
                    + TufKey.forPublicKey(request.targetsSigner().publicKey()).id().substring(0, 12) + ")");
            TufKey snapshotKey = client.serverKey(request.gun(), RoleNames.SNAPSHOT);
            TufKey timestampKey = client.serverKey(request.gun(), RoleNames.TIMESTAMP);
            try {
                client.publish(request.gun(), List.of(
                        NotaryMetadataBuilder.initialRoot(request.gun(), rootSigner.get(), request.targetsSigner(), snapshotKey, timestampKey, now),
                        NotaryMetadataBuilder.initialTargets(request.tag(), target, request.targetsSigner(), now)));
            } catch (NotaryServerException e) {
                if (currentRoot(request.gun()).isPresent()) {
                    // another publisher initialised it first (the server refuses our second root): a stale version
                    throw new NotaryServerException(e.operation(), 409, "VERSION", "another publisher initialised " + request.gun() + " first");
                }
                throw e;
            }
            return readBack(request, pinFor(request.root()), true, false);
        }
        TrustedRepository current = verifier(pinFor(request.root()), withRoot(request.gun(), currentRoot.get()))
                .verify(request.gun());
        String signerKeyId = TufKey.forPublicKey(request.targetsSigner().publicKey()).id();
        Optional<DelegatedRole> releases = current.targets().delegation(RoleNames.RELEASES);
        if (releases.isPresent() && releases.get().keys().keyIds().contains(signerKeyId)) {
            return publishToReleases(request, current, releases.get(), target, now);
        }
        if (releases.isPresent() && releases.get().allows(request.tag())) {
            // docker resolves targets/releases first: a tag signed into targets would be shadowed or ignored.
            throw new NotaryException(request.gun() + ":" + request.tag() + " resolves through targets/releases, which the key "
                    + signerKeyId + " may not sign (releases keys: " + releases.get().keys().keyIds() + ")");
        }
        requireTargetsKey(current, request.targetsSigner());
        if (alreadySigned(current.targets().targets().get(request.tag()), target)) {
            return unchanged(request, current, current.targets().version());
        }
        Multipart.Part targets = NotaryMetadataBuilder.updatedTargets(current.targets(), request.tag(), target, request.targetsSigner(), now);
        client.publish(request.gun(), List.of(targets));
        return readBack(request, pinFor(request.root()), false, false);
    }

    /**
     * Signs the tag into {@code targets/releases} and, as {@code docker trust sign} does, into every other
     * delegation of targets the key signs for alone (the per-signer {@code targets/<name>} roles), in one upload.
     */
    private PublishResult publishToReleases(PublishRequest request, TrustedRepository current, DelegatedRole releases, FileMeta target, Instant now)
            throws NotaryException, KeyException {
        if (!releases.allows(request.tag())) {
            throw new DelegationPathException(RoleNames.RELEASES, request.tag(), releases.paths());
        }
        List<Multipart.Part> parts = new ArrayList<>();
        for (String role : rolesSignedWith(current, keyId(request.targetsSigner()), request.tag())) {
            TargetsMetadata published = current.delegations().get(role);
            if (published == null || !alreadySigned(published.targets().get(request.tag()), target)) {
                parts.add(NotaryMetadataBuilder.updatedDelegation(role, published, request.tag(), target, request.targetsSigner(), now));
            }
        }
        if (parts.isEmpty()) {
            return unchanged(request, current, current.delegations().get(RoleNames.RELEASES).version());
        }
        client.publish(request.gun(), parts);
        return readBack(request, pinFor(request.root()), false, false);
    }

    /**
     * {@code targets/releases}, then the other delegations of targets that list {@code keyId} with threshold 1 and
     * may sign {@code tag}: the roles a releases key signs a tag into (docker's "signable roles").
     */
    private static List<String> rolesSignedWith(TrustedRepository current, String keyId, String tag) {
        List<String> roles = new ArrayList<>(List.of(RoleNames.RELEASES));
        for (DelegatedRole role : current.targets().delegations()) {
            if (!role.name().equals(RoleNames.RELEASES) && role.keys().keyIds().contains(keyId) && role.keys().threshold() == 1 && role.allows(tag)) {
                roles.add(role.name());
            }
        }
        return roles;
    }

    /**
     * Adds a named signer like {@code docker trust signer add NAME}: targets one version up (signed by the
     * targets key) delegating {@code targets/<name>} and {@code targets/releases} to {@code signerKey} (added to
     * keys already there; each role created with threshold 1 and every path if missing). From then on a request
     * signed with that key is signed into both roles, so {@code docker trust inspect} lists {@code name} as the
     * tag's signer.
     *
     * @param signerName lowercase letters and digits, then also {@code -} and {@code _}, as docker requires;
     *     {@code releases} is reserved
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link Builder#existingRootPin})
     * @throws IllegalArgumentException if the signer name is not valid
     * @throws NotaryException if {@code targetsSigner} is not the targets key
     */
    public void addSigner(String gun, String signerName, PublicKey signerKey, Signer targetsSigner, Signer rootSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        String role = signerRole(signerName);
        RootPin pin = pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = verifier(pin).verify(gun);
        requireTargetsKey(current, targetsSigner);
        TufKey key = TufKey.forPublicKey(signerKey);
        client.publish(gun, List.of(NotaryMetadataBuilder.addingSigner(current.targets(), role, key, targetsSigner, clock.instant())));

        TrustedRepository published = verifier(pin).verify(gun);
        for (String delegated : List.of(role, RoleNames.RELEASES)) {
            if (!published.targets().delegation(delegated).map(d -> d.keys().keyIds().contains(key.id())).orElse(false)) {
                throw new NotaryException("after adding signer " + signerName + ", targets of " + gun + " does not delegate " + delegated + " to " + key.id());
            }
        }
        listener.info("notary-publish", gun + ": signer " + signerName + " (key " + key.id().substring(0, 12) + ") added to " + role
                + " and " + RoleNames.RELEASES + " (targets v" + published.targets().version() + ")");
    }

    /** {@code targets/<name>} for a valid signer name, as {@code docker trust signer add} checks it. */
    static String signerRole(String signerName) {
        if (signerName == null || !SIGNER_NAME.matcher(signerName).matches()) {
            throw new IllegalArgumentException("signer name '" + signerName + "' must start with a lowercase letter or digit and hold only those, '-' and '_'");
        }
        if ("releases".equals(signerName)) {
            throw new IllegalArgumentException("releases is reserved; choose another signer name");
        }
        return RoleNames.TARGETS + "/" + signerName;
    }

    /**
     * Delegates {@code targets/releases} to {@code delegateKey} (like {@code docker trust signer add}), so that
     * holders of that key can sign tags without the repository's targets key.
     *
     * @param targetsSigner the repository's targets key, which signs the new targets version
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link Builder#existingRootPin})
     */
    public void delegateReleases(String gun, Signer targetsSigner, Signer rootSigner, PublicKey delegateKey) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        TrustedRepository current = verifier(pinFor(Optional.ofNullable(rootSigner))).verify(gun);
        client.publish(gun, List.of(NotaryMetadataBuilder.delegatingReleases(current.targets(), TufKey.forPublicKey(delegateKey), targetsSigner, clock.instant())));
        listener.info("notary-publish", gun + ": targets/releases delegated to key " + TufKey.forPublicKey(delegateKey).id().substring(0, 12));
    }

    /**
     * Revokes {@code tag}: publishes the next version of the role {@code signer} signs for without it, in one
     * upload. The signer chooses the role as in {@link #publish}: a {@code targets/releases} key removes the tag
     * from that delegation (and from the per-signer {@code targets/<name>} roles it signed it into), the targets
     * key from {@code targets}. Revoking a tag the role does not list is an error rather than a silent no-op: it
     * usually means a mistyped tag or the wrong key, and a revocation must not be reported done when nothing was
     * revoked.
     *
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link Builder#existingRootPin})
     * @throws NotaryException if the signer signs neither role, or the role does not list the tag
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public RevokeResult revoke(String gun, String tag, Signer signer, Signer rootSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        RootPin pin = pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = verifier(pin).verify(gun);
        String role = roleSignedBy(current, signer);
        TargetsMetadata signed = metadataOf(current, role);
        if (signed == null || !signed.targets().containsKey(tag)) {
            throw new NotaryException(gun + ":" + tag + " is not signed in " + role + " (the role the key " + keyId(signer)
                    + " signs); nothing was revoked");
        }
        List<String> roles = new ArrayList<>();
        List<Multipart.Part> parts = new ArrayList<>();
        for (String candidate : RoleNames.RELEASES.equals(role) ? rolesSignedWith(current, keyId(signer), tag) : List.of(role)) {
            TargetsMetadata listing = metadataOf(current, candidate);
            if (listing != null && listing.targets().containsKey(tag)) {
                roles.add(candidate);
                parts.add(NotaryMetadataBuilder.withoutTarget(candidate, listing, tag, signer, clock.instant()));
            }
        }
        client.publish(gun, parts);

        TrustedRepository published = verifier(pin).verify(gun);
        for (String revoked : roles) {
            TargetsMetadata after = metadataOf(published, revoked);
            if (after == null || after.targets().containsKey(tag)) {
                throw new NotaryException("after revoking, " + revoked + " of " + gun + " still lists " + tag);
            }
        }
        long version = metadataOf(published, role).version();
        Optional<TargetResolution> remaining = resolveIfSigned(published, tag);
        listener.info("notary-publish", "revoked " + gun + ":" + tag + " from " + String.join(", ", roles) + " (" + role + " v" + version + ")"
                + remaining.map(r -> "; it still resolves to " + r.digest() + " through " + r.role()).orElse(""));
        return new RevokeResult(gun, tag, role, version, remaining, roles);
    }

    private static TargetsMetadata metadataOf(TrustedRepository repository, String role) {
        return RoleNames.TARGETS.equals(role) ? repository.targets() : repository.delegations().get(role);
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
        RootPin pin = pinFor(Optional.of(rootSigner));
        TrustedRepository current = verifier(pin).verify(gun);
        String rootKeyId = rootKeyIdOf(current, rootSigner);
        TufKey newKey = TufKey.forPublicKey(newTargetsSigner.publicKey());
        if (current.root().role(RoleNames.TARGETS).keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException(newKey.id() + " already is the targets key of " + gun + "; nothing to rotate");
        }
        Instant now = clock.instant();
        client.publish(gun, List.of(
                NotaryMetadataBuilder.rotatedRoot(current.root(), RoleNames.TARGETS, newKey, rootSigner, rootKeyId),
                NotaryMetadataBuilder.resigned(RoleNames.TARGETS, current.targets(), newTargetsSigner, now)));

        TrustedRepository published = verifier(pin).verify(gun);
        if (!published.root().role(RoleNames.TARGETS).keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException("after rotating, the root of " + gun + " lists targets keys "
                    + published.root().role(RoleNames.TARGETS).keyIds() + ", not " + newKey.id());
        }
        listener.info("notary-publish", gun + ": targets key rotated to " + newKey.id().substring(0, 12) + " (root v"
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
        TrustedRepository current = verifier(pinFor(Optional.of(rootSigner))).verify(gun);
        String oldRootKeyId = rootKeyIdOf(current, rootSigner);
        int threshold = current.root().role(RoleNames.ROOT).threshold();
        if (threshold > 1) {
            throw new NotaryException("the root of " + gun + " needs " + threshold + " root key signatures; one root key cannot rotate it");
        }
        if (isRootKey(current, newRootSigner)) {
            throw new NotaryException("the new key " + keyId(newRootSigner) + " already is a root key of " + gun + "; nothing to rotate");
        }
        Multipart.Part newRoot = NotaryMetadataBuilder.rotatedRootKey(current.root(), gun, rootSigner, oldRootKeyId, newRootSigner, clock.instant());
        client.publish(gun, List.of(newRoot));

        // The cache now trusts the old root: the read-back walks from it to the new one, pinned to the new key.
        TrustedRepository published = verifier(pinFor(Optional.of(newRootSigner))).verify(gun);
        if (published.root().version() != current.root().version() + 1 || !isRootKey(published, newRootSigner)) {
            throw new NotaryException("after rotating, the root of " + gun + " is v" + published.root().version() + " with root keys "
                    + published.root().role(RoleNames.ROOT).keyIds() + ", not v" + (current.root().version() + 1) + " with the new key");
        }
        String newKeyId = rootKeyIdOf(published, newRootSigner);
        listener.info("notary-publish", gun + ": root key rotated from " + oldRootKeyId.substring(0, 12) + " to " + newKeyId.substring(0, 12)
                + " (root v" + published.root().version() + ")");
        return new KeyRotationResult(gun, RoleNames.ROOT, newKeyId, published.root().version(), published.targets().version(), 0);
    }

    /**
     * Rotates the key of a delegation of targets (e.g. {@code targets/releases}): publishes, in one upload,
     * targets one version up (signed by the targets key) delegating {@code role} to {@code newDelegateSigner}'s
     * key alone (same paths, threshold 1), and the delegation's own file, if it has one, re-signed with the new
     * key. The old delegation key is not needed.
     *
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link Builder#existingRootPin})
     * @throws NotaryException if targets does not delegate {@code role}, {@code targetsSigner} is not the
     *     targets key, or the new key already is the delegation's only key
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public KeyRotationResult rotateDelegationKey(String gun, String role, Signer targetsSigner, Signer rootSigner, Signer newDelegateSigner)
            throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        RootPin pin = pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = verifier(pin).verify(gun);
        DelegatedRole delegation = current.targets().delegation(role)
                .orElseThrow(() -> new NotaryException("targets of " + gun + " delegates no role " + role + " (it delegates "
                        + current.targets().delegations().stream().map(DelegatedRole::name).toList() + ")"));
        requireTargetsKey(current, targetsSigner);
        TufKey newKey = TufKey.forPublicKey(newDelegateSigner.publicKey());
        if (delegation.keys().keyIds().equals(List.of(newKey.id()))) {
            throw new NotaryException(newKey.id() + " already is the key of " + role + " in " + gun + "; nothing to rotate");
        }
        Instant now = clock.instant();
        List<Multipart.Part> parts = new ArrayList<>();
        parts.add(NotaryMetadataBuilder.rotatedDelegationKey(current.targets(), role, newKey, targetsSigner, now));
        TargetsMetadata delegated = current.delegations().get(role);
        if (delegated != null) {
            parts.add(NotaryMetadataBuilder.resigned(role, delegated, newDelegateSigner, now));
        }
        client.publish(gun, parts);

        TrustedRepository published = verifier(pin).verify(gun);
        List<String> keys = published.targets().delegation(role).map(d -> d.keys().keyIds()).orElse(List.of());
        if (!keys.equals(List.of(newKey.id()))) {
            throw new NotaryException("after rotating, targets of " + gun + " delegates " + role + " to " + keys + ", not " + newKey.id());
        }
        TargetsMetadata delegatedAfter = published.delegations().get(role);
        long delegationVersion = delegatedAfter == null ? 0 : delegatedAfter.version();
        listener.info("notary-publish", gun + ": " + role + " key rotated to " + newKey.id().substring(0, 12) + " (targets v"
                + published.targets().version() + (delegatedAfter == null ? "" : ", " + role + " v" + delegationVersion) + ")");
        return new KeyRotationResult(gun, role, newKey.id(), published.root().version(), published.targets().version(), delegationVersion);
    }

    /** The role {@code signer} signs tags into: {@code targets/releases} if it holds one of its keys, else {@code targets}. */
    private static String roleSignedBy(TrustedRepository current, Signer signer) throws NotaryException {
        String signerKeyId = keyId(signer);
        Optional<DelegatedRole> releases = current.targets().delegation(RoleNames.RELEASES);
        if (releases.isPresent() && releases.get().keys().keyIds().contains(signerKeyId)) {
            return RoleNames.RELEASES;
        }
        requireTargetsKey(current, signer);
        return RoleNames.TARGETS;
    }

    private static void requireTargetsKey(TrustedRepository current, Signer signer) throws NotaryException {
        String signerKeyId = keyId(signer);
        if (!current.root().role(RoleNames.TARGETS).keyIds().contains(signerKeyId)) {
            throw new NotaryException("the given key " + signerKeyId + " is not a targets key of " + current.gun()
                    + " (root lists " + current.root().role(RoleNames.TARGETS).keyIds() + ")");
        }
    }

    private static boolean isRootKey(TrustedRepository repository, Signer signer) {
        try {
            rootKeyIdOf(repository, signer);
            return true;
        } catch (NotaryException e) {
            return false;
        }
    }

    /** The id under which root lists {@code rootSigner}'s key (its certificate's), checked before anything is signed. */
    private static String rootKeyIdOf(TrustedRepository current, Signer rootSigner) throws NotaryException {
        byte[] encoded = rootSigner.publicKey().getEncoded();
        for (String id : current.root().role(RoleNames.ROOT).keyIds()) {
            TufKey listed = current.root().keys().get(id);
            if (listed != null && MessageDigest.isEqual(listed.publicKey().getEncoded(), encoded)) {
                return id;
            }
        }
        throw new NotaryException("the given root key " + keyId(rootSigner) + " is not a root key of " + current.gun());
    }

    private static String keyId(Signer signer) throws MalformedMetadataException {
        return TufKey.forPublicKey(signer.publicKey()).id();
    }

    private static Optional<TargetResolution> resolveIfSigned(TrustedRepository repository, String tag) throws NotaryException {
        try {
            return Optional.of(repository.resolve(tag));
        } catch (TargetNotFoundException e) {
            return Optional.empty();
        }
    }

    private static boolean alreadySigned(FileMeta existing, FileMeta target) {
        return existing != null && existing.length() == target.length()
                && MessageDigest.isEqual(existing.hashes().get("sha256"), target.hashes().get("sha256"));
    }

    private PublishResult unchanged(PublishRequest request, TrustedRepository current, long version) throws NotaryException {
        listener.info("notary-publish", request.gun() + ":" + request.tag() + " is already signed to " + request.digest());
        return new PublishResult(current.resolve(request.tag()), version, false, true);
    }

    /** The server's {@code root.json} of {@code gun}, or empty when the repository has no trust data yet. */
    private Optional<byte[]> currentRoot(String gun) throws NotaryException {
        try {
            return Optional.of(client.fetch(gun, RoleNames.ROOT, TufVerifier.Limits.DEFAULT.rootBytes()));
        } catch (MetadataNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The server, except that the first request for {@code gun}'s {@code root.json} is answered with {@code root},
     * fetched a moment ago to see whether the repository exists: one round trip less. The verifier checks those
     * bytes exactly as if it had fetched them.
     */
    private MetadataFetcher withRoot(String gun, byte[] root) {
        boolean[] served = {false};
        return (requestedGun, name, maxBytes) -> {
            if (!served[0] && gun.equals(requestedGun) && RoleNames.ROOT.equals(name) && root.length <= maxBytes) {
                served[0] = true;
                return root.clone();
            }
            return client.fetch(requestedGun, name, maxBytes);
        };
    }

    private RootPin pinFor(Optional<Signer> rootSigner) {
        if (rootSigner.isPresent()) {
            return RootPin.rootKey(PublicKeys.toPem(rootSigner.get().publicKey()));
        }
        if (existingRootPin == null) {
            throw new IllegalStateException("publishing to an existing repository without its root key needs a root pin (Builder.existingRootPin)");
        }
        return existingRootPin;
    }


    private TufVerifier verifier(RootPin pin) {
        return verifier(pin, client);
    }

    private TufVerifier verifier(RootPin pin, MetadataFetcher fetcher) {
        return TufVerifier.builder().fetcher(fetcher).cache(cache).clock(clock).rootPin(pin).listener(listener).build();
    }

    /** Verifies what the server now serves and checks that the tag resolves to what was asked. */
    private PublishResult readBack(PublishRequest request, RootPin pin, boolean initialised, boolean alreadyPresent) throws NotaryException {
        TrustedRepository published = verifier(pin).verify(request.gun());
        TargetResolution resolution = published.resolve(request.tag());
        if (!resolution.digest().equals(request.digest()) || resolution.length() != request.length()) {
            throw new NotaryException("after publishing, " + request.gun() + ":" + request.tag() + " resolves to " + resolution.digest()
                    + " (" + resolution.length() + " bytes), not " + request.digest() + " (" + request.length() + " bytes)");
        }
        long version = RoleNames.TARGETS.equals(resolution.role()) ? published.targets().version()
                : published.delegations().get(resolution.role()).version();
        listener.info("notary-publish", "signed " + request.gun() + ":" + request.tag() + " → " + request.digest()
                + " (" + resolution.role() + " v" + version + ")");
        return new PublishResult(resolution, version, initialised, alreadyPresent);
    }

    /** Configures a {@link NotaryPublisher}. */
    public static final class Builder {
        private NotaryClient client;
        private Clock clock = Clock.systemUTC();
        private TrustCache cache = new InMemoryTrustCache();
        private RootPin existingRootPin;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        public Builder client(NotaryClient client) {
            this.client = client;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder cache(TrustCache cache) {
            this.cache = Objects.requireNonNull(cache);
            return this;
        }

        /** How to trust an existing repository's root when the request carries no root key. */
        public Builder existingRootPin(RootPin pin) {
            this.existingRootPin = pin;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public NotaryPublisher build() {
            return new NotaryPublisher(this);
        }
    }
}
