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
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signs a tag into a repository's Notary trust data, like {@code DOCKER_CONTENT_TRUST=1 docker push}, and revokes it:
 * the tag goes straight into {@code targets} (no delegations); snapshot and timestamp stay server-managed. A new
 * repository is initialised (root with the {@code ecdsa-x509} root certificate, targets key, the server's keys) in the
 * same single multipart POST. An existing repository is first verified (pinned to the given root key, else to the
 * configured pin) and its targets re-signed one version up. The result is read back and verified before it is
 * reported. Signer delegation is {@link NotarySignerDelegation}'s, key rotation {@link NotaryKeyRotation}'s; all three
 * come from {@link NotaryWriters}.
 */
public final class NotaryPublisher {
    /** Uploads refused as stale (another publisher was faster) before a publish gives up. */
    private static final int MAX_PUBLISH_ATTEMPTS = 8;

    private final NotaryWriters writers;

    NotaryPublisher(NotaryWriters writers) {
        this.writers = writers;
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
                writers.listener.warning("notary-publish", "another publisher updated " + request.gun() + " at the same time (" + e.getMessage()
                        + "); reading it again and re-signing (attempt " + (attempt + 1) + ")");
                try {
                    Thread.sleep(backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
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
        Instant now = writers.clock.instant();
        Optional<byte[]> currentRoot = currentRoot(request.gun());
        if (currentRoot.isEmpty()) {
            Optional<Signer> rootSigner = request.root();
            if (rootSigner.isEmpty()) {
                throw new NotaryException(request.gun() + " has no trust data yet; initialising it needs the root key");
            }
            // Both keys are read before the server is asked for its keys (which it creates on the first request).
            writers.listener.info("notary-publish", "initialising trust data of " + request.gun() + " (root key "
                    + TufKey.forPublicKey(rootSigner.get().publicKey()).id().substring(0, 12) + ", targets key "
                    + TufKey.forPublicKey(request.targetsSigner().publicKey()).id().substring(0, 12) + ")");
            TufKey snapshotKey = writers.client.serverKey(request.gun(), RoleNames.SNAPSHOT);
            TufKey timestampKey = writers.client.serverKey(request.gun(), RoleNames.TIMESTAMP);
            try {
                writers.client.publish(request.gun(), List.of(
                        NotaryMetadataBuilder.initialRoot(request.gun(), rootSigner.get(), request.targetsSigner(), snapshotKey, timestampKey, now),
                        NotaryMetadataBuilder.initialTargets(request.tag(), target, request.targetsSigner(), now)));
            } catch (NotaryServerException e) {
                if (currentRoot(request.gun()).isPresent()) {
                    // another publisher initialised it first (the server refuses our second root): a stale version
                    throw new NotaryServerException(e.operation(), 409, "VERSION", "another publisher initialised " + request.gun() + " first");
                }
                throw e;
            }
            return readBack(request, writers.pinFor(request.root()), true, false);
        }
        TrustedRepository current = writers.verifier(writers.pinFor(request.root()), withRoot(request.gun(), currentRoot.get()))
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
        NotaryWriters.requireTargetsKey(current, request.targetsSigner());
        if (alreadySigned(current.targets().targets().get(request.tag()), target)) {
            return unchanged(request, current, current.targets().version());
        }
        Multipart.Part targets = NotaryMetadataBuilder.updatedTargets(current.targets(), request.tag(), target, request.targetsSigner(), now);
        writers.client.publish(request.gun(), List.of(targets));
        return readBack(request, writers.pinFor(request.root()), false, false);
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
        for (String role : rolesSignedWith(current, NotaryWriters.keyId(request.targetsSigner()), request.tag())) {
            TargetsMetadata published = current.delegations().get(role);
            if (published == null || !alreadySigned(published.targets().get(request.tag()), target)) {
                parts.add(NotaryMetadataBuilder.updatedDelegation(role, published, request.tag(), target, request.targetsSigner(), now));
            }
        }
        if (parts.isEmpty()) {
            return unchanged(request, current, current.delegations().get(RoleNames.RELEASES).version());
        }
        writers.client.publish(request.gun(), parts);
        return readBack(request, writers.pinFor(request.root()), false, false);
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
     * Revokes {@code tag}: publishes the next version of the role {@code signer} signs for without it, in one
     * upload. The signer chooses the role as in {@link #publish}: a {@code targets/releases} key removes the tag
     * from that delegation (and from the per-signer {@code targets/<name>} roles it signed it into), the targets
     * key from {@code targets}. Revoking a tag the role does not list is an error rather than a silent no-op: it
     * usually means a mistyped tag or the wrong key, and a revocation must not be reported done when nothing was
     * revoked.
     *
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link NotaryWriters.Builder#existingRootPin})
     * @throws NotaryException if the signer signs neither role, or the role does not list the tag
     * @throws NotaryServerException if the server rejects the upload; it then stored nothing
     */
    public RevokeResult revoke(String gun, String tag, Signer signer, Signer rootSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        RootPin pin = writers.pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = writers.verifier(pin).verify(gun);
        String role = roleSignedBy(current, signer);
        TargetsMetadata signed = NotaryWriters.metadataOf(current, role);
        if (signed == null || !signed.targets().containsKey(tag)) {
            throw new NotaryException(gun + ":" + tag + " is not signed in " + role + " (the role the key " + NotaryWriters.keyId(signer)
                    + " signs); nothing was revoked");
        }
        List<String> roles = new ArrayList<>();
        List<Multipart.Part> parts = new ArrayList<>();
        for (String candidate : RoleNames.RELEASES.equals(role) ? rolesSignedWith(current, NotaryWriters.keyId(signer), tag) : List.of(role)) {
            TargetsMetadata listing = NotaryWriters.metadataOf(current, candidate);
            if (listing != null && listing.targets().containsKey(tag)) {
                roles.add(candidate);
                parts.add(NotaryMetadataBuilder.withoutTarget(candidate, listing, tag, signer, writers.clock.instant()));
            }
        }
        writers.client.publish(gun, parts);

        TrustedRepository published = writers.verifier(pin).verify(gun);
        for (String revoked : roles) {
            TargetsMetadata after = NotaryWriters.metadataOf(published, revoked);
            if (after == null || after.targets().containsKey(tag)) {
                throw new NotaryException("after revoking, " + revoked + " of " + gun + " still lists " + tag);
            }
        }
        long version = NotaryWriters.metadataOf(published, role).version();
        Optional<TargetResolution> remaining = resolveIfSigned(published, tag);
        writers.listener.info("notary-publish", "revoked " + gun + ":" + tag + " from " + String.join(", ", roles) + " (" + role + " v" + version + ")"
                + remaining.map(r -> "; it still resolves to " + r.digest() + " through " + r.role()).orElse(""));
        return new RevokeResult(gun, tag, role, version, remaining, roles);
    }

    /** The role {@code signer} signs tags into: {@code targets/releases} if it holds one of its keys, else {@code targets}. */
    private static String roleSignedBy(TrustedRepository current, Signer signer) throws NotaryException {
        String signerKeyId = NotaryWriters.keyId(signer);
        Optional<DelegatedRole> releases = current.targets().delegation(RoleNames.RELEASES);
        if (releases.isPresent() && releases.get().keys().keyIds().contains(signerKeyId)) {
            return RoleNames.RELEASES;
        }
        NotaryWriters.requireTargetsKey(current, signer);
        return RoleNames.TARGETS;
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
        writers.listener.info("notary-publish", request.gun() + ":" + request.tag() + " is already signed to " + request.digest());
        return new PublishResult(current.resolve(request.tag()), version, false, true);
    }

    /** The server's {@code root.json} of {@code gun}, or empty when the repository has no trust data yet. */
    private Optional<byte[]> currentRoot(String gun) throws NotaryException {
        try {
            return Optional.of(writers.client.fetch(gun, RoleNames.ROOT, TufVerifier.Limits.DEFAULT.rootBytes()));
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
        AtomicBoolean served = new AtomicBoolean();
        return (requestedGun, name, maxBytes) -> {
            if (!served.get() && gun.equals(requestedGun) && RoleNames.ROOT.equals(name) && root.length <= maxBytes) {
                served.set(true);
                return root.clone();
            }
            return writers.client.fetch(requestedGun, name, maxBytes);
        };
    }

    /** Verifies what the server now serves and checks that the tag resolves to what was asked. */
    private PublishResult readBack(PublishRequest request, RootPin pin, boolean initialised, boolean alreadyPresent) throws NotaryException {
        TrustedRepository published = writers.verifier(pin).verify(request.gun());
        TargetResolution resolution = published.resolve(request.tag());
        if (!resolution.digest().equals(request.digest()) || resolution.length() != request.length()) {
            throw new NotaryException("after publishing, " + request.gun() + ":" + request.tag() + " resolves to " + resolution.digest()
                    + " (" + resolution.length() + " bytes), not " + request.digest() + " (" + request.length() + " bytes)");
        }
        long version = RoleNames.TARGETS.equals(resolution.role()) ? published.targets().version()
                : published.delegations().get(resolution.role()).version();
        writers.listener.info("notary-publish", "signed " + request.gun() + ":" + request.tag() + " → " + request.digest()
                + " (" + resolution.role() + " v" + version + ")");
        return new PublishResult(resolution, version, initialised, alreadyPresent);
    }

}
