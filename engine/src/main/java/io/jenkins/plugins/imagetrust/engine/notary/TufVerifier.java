package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SnapshotMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TimestampMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Verifies a repository's Notary v1 trust data in TUF load order: root (pinned, cached, or trusted on first
 * use only when allowed; rotations must be signed by the old and the new root), then timestamp → snapshot →
 * targets → delegations. Every file is checked for signatures against its role's keys and threshold, expiry
 * against the injected clock, a version never below the cached one, and (after the timestamp) length and
 * hashes recorded by its parent. Sizes are capped before reading. The cache is updated only when everything
 * passed. Failures are {@link TufException} subclasses carrying their facts.
 */
public final class TufVerifier {
    /** More root versions than this between two verifications is treated as an attack, not a history. */
    private static final int MAX_ROOT_ROTATIONS = 1024;

    private final MetadataFetcher fetcher;
    private final TrustCache cache;
    private final Clock clock;
    private final RootPin pin;
    private final Limits limits;
    private final ProgressListener listener;

    private TufVerifier(Builder builder) {
        this.fetcher = Objects.requireNonNull(builder.fetcher, "a metadata fetcher is required");
        this.pin = Objects.requireNonNull(builder.pin, "a root pin is required (RootPin.trustOnFirstUse() must be chosen explicitly)");
        this.cache = builder.cache;
        this.clock = builder.clock;
        this.limits = builder.limits;
        this.listener = builder.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Size caps per file; the defaults are far above anything docker produces. */
    public record Limits(long rootBytes, long timestampBytes, long metadataBytes) {
        public static final Limits DEFAULT = new Limits(512 * 1024, 64 * 1024, 16 * 1024 * 1024);
    }

    /**
     * Fetches and verifies the current trust data of {@code gun}.
     *
     * @throws TufException (a subclass naming the failure) if the data must not be trusted
     * @throws MetadataNotFoundException if the repository has no trust data
     * @throws NotaryException if fetching failed
     */
    public TrustedRepository verify(String gun) throws NotaryException {
        MetadataNames.checkGun(gun);
        Instant now = clock.instant();
        Map<String, Long> versions = new LinkedHashMap<>();

        SignedMetadata rootFile = establishRoot(gun, now);
        RootMetadata root = RootMetadata.from(rootFile);
        versions.put(RoleNames.ROOT, root.version());

        SignedMetadata timestampFile = SignedMetadata.parse(RoleNames.TIMESTAMP, fetcher.fetch(gun, RoleNames.TIMESTAMP, limits.timestampBytes()));
        checkRole(gun, timestampFile, root.keys(), root.role(RoleNames.TIMESTAMP), now);
        TimestampMetadata timestamp = TimestampMetadata.from(timestampFile);
        versions.put(RoleNames.TIMESTAMP, timestamp.version());

        SignedMetadata snapshotFile = fetchRecorded(gun, RoleNames.SNAPSHOT, timestamp.snapshot());
        checkRole(gun, snapshotFile, root.keys(), root.role(RoleNames.SNAPSHOT), now);
        SnapshotMetadata snapshot = SnapshotMetadata.from(snapshotFile);
        versions.put(RoleNames.SNAPSHOT, snapshot.version());

        // Mix-and-match: the root we trust must be the one this snapshot describes.
        recorded(snapshot, RoleNames.ROOT).verify(RoleNames.ROOT, rootFile.raw());

        SignedMetadata targetsFile = fetchRecorded(gun, RoleNames.TARGETS, recorded(snapshot, RoleNames.TARGETS));
        checkRole(gun, targetsFile, root.keys(), root.role(RoleNames.TARGETS), now);
        TargetsMetadata targets = TargetsMetadata.from(targetsFile);
        versions.put(RoleNames.TARGETS, targets.version());

        Map<String, TargetsMetadata> delegations = new LinkedHashMap<>();
        for (DelegatedRole delegation : targets.delegations()) {
            Optional<FileMeta> meta = snapshot.meta(delegation.name());
            if (meta.isEmpty()) {
                listener.debug("notary-verify", delegation.name() + " is delegated but not published yet; skipped");
                continue;
            }
            SignedMetadata delegationFile = fetchRecorded(gun, delegation.name(), meta.get());
            checkRole(gun, delegationFile, targets.delegationKeys(), delegation.keys(), now);
            TargetsMetadata delegated = TargetsMetadata.from(delegationFile);
            versions.put(delegation.name(), delegated.version());
            delegations.put(delegation.name(), delegated);
        }

        cache.save(gun, rootFile.raw(), versions);
        listener.info("notary-verify", "verified trust data of " + gun + " (root v" + root.version() + ", targets v"
                + targets.version() + ", timestamp v" + timestamp.version() + ", expires " + timestamp.expires() + ")");
        return new TrustedRepository(gun, root, timestamp, snapshot, targets, delegations);
    }

    /** Signatures and threshold (before the content is interpreted), then rollback, then expiry: the same order for every role. */
    private void checkRole(String gun, SignedMetadata file, Map<String, TufKey> keys, RoleKeys roleKeys, Instant now) throws TufException {
        TufSignatures.requireThreshold(file, keys, roleKeys);
        long cached = cache.lastVersion(gun, file.role());
        if (file.version() < cached) {
            throw new RollbackException(file.role(), cached, file.version());
        }
        if (!file.expires().isAfter(now)) {
            throw new RoleExpiredException(file.role(), file.expires(), now);
        }
    }

    private static FileMeta recorded(SnapshotMetadata snapshot, String role) throws MalformedMetadataException {
        return snapshot.meta(role).orElseThrow(() -> new MalformedMetadataException(RoleNames.SNAPSHOT, "it records no '" + role + "'"));
    }

    /** Fetches a file by checksum, capped at its recorded length, and checks length and hashes before parsing. */
    private SignedMetadata fetchRecorded(String gun, String role, FileMeta meta) throws NotaryException {
        if (meta.length() > limits.metadataBytes()) {
            throw new MetadataTooLargeException(role, limits.metadataBytes());
        }
        byte[] bytes = fetcher.fetch(gun, role + "." + meta.sha256Hex(role), meta.length());
        meta.verify(role, bytes);
        return SignedMetadata.parse(role, bytes);
    }

    private SignedMetadata establishRoot(String gun, Instant now) throws NotaryException {
        byte[] offered = fetcher.fetch(gun, RoleNames.ROOT, limits.rootBytes());
        SignedMetadata candidate = SignedMetadata.parse(RoleNames.ROOT, offered);
        RootMetadata candidateRoot = RootMetadata.from(candidate);

        Optional<byte[]> trustedBytes = cache.trustedRoot(gun).or(pin::rootFile);
        if (trustedBytes.isPresent()) {
            SignedMetadata trusted = SignedMetadata.parse(RoleNames.ROOT, trustedBytes.get());
            RootMetadata trustedRoot = RootMetadata.from(trusted);
            TufSignatures.requireThreshold(trusted, trustedRoot.keys(), trustedRoot.role(RoleNames.ROOT));
            if (!Arrays.equals(trustedBytes.get(), offered)) {
                if (candidateRoot.version() < trustedRoot.version()) {
                    throw new RollbackException(RoleNames.ROOT, trustedRoot.version(), candidateRoot.version());
                }
                if (candidateRoot.version() == trustedRoot.version()) {
                    throw new UntrustedRootException(gun, "the server offers a different root with the trusted version " + trustedRoot.version()
                            + whoseRoot(gun, trustedRoot, candidateRoot));
                }
                requireRotationChain(gun, trustedRoot, candidate, candidateRoot);
                listener.info("notary-verify", gun + ": root rotated from v" + trustedRoot.version() + " to v" + candidateRoot.version());
            }
        } else if (pin.rootKey().isEmpty() && !pin.trustOnFirstUseAllowed()) {
            throw new UntrustedRootException(gun, "no trusted root is pinned or cached, and trust on first use is not allowed");
        } else if (pin.trustOnFirstUseAllowed()) {
            listener.warning("notary-verify", gun + ": trusting root " + candidateRoot.role(RoleNames.ROOT).keyIds() + " on first use");
        }
        if (pin.rootKey().isPresent()) {
            requirePinnedKey(gun, candidate, candidateRoot, pin.rootKey().get());
        }
        TufSignatures.requireThreshold(candidate, candidateRoot.keys(), candidateRoot.role(RoleNames.ROOT));
        checkRootCertificates(gun, candidateRoot, now);
        long cached = cache.lastVersion(gun, RoleNames.ROOT);
        if (candidateRoot.version() < cached) {
            throw new RollbackException(RoleNames.ROOT, cached, candidateRoot.version());
        }
        if (!candidateRoot.expires().isAfter(now)) {
            throw new RoleExpiredException(RoleNames.ROOT, candidateRoot.expires(), now);
        }
        return candidate;
    }

    /**
     * Walks from the trusted root to the offered one through every intermediate version ({@code <n>.root}),
     * each signed by the keys and threshold of the version before it (and, below, by its own).
     */
    private void requireRotationChain(String gun, RootMetadata trustedRoot, SignedMetadata candidate, RootMetadata candidateRoot)
            throws NotaryException {
        if (candidateRoot.version() - trustedRoot.version() > MAX_ROOT_ROTATIONS) {
            throw new UntrustedRootException(gun, "root jumps from v" + trustedRoot.version() + " to v" + candidateRoot.version()
                    + ", more than " + MAX_ROOT_ROTATIONS + " rotations");
        }
        RootMetadata previous = trustedRoot;
        for (long version = trustedRoot.version() + 1; version < candidateRoot.version(); version++) {
            SignedMetadata step;
            try {
                step = SignedMetadata.parse(RoleNames.ROOT, fetcher.fetch(gun, MetadataNames.versioned(version, RoleNames.ROOT), limits.rootBytes()));
            } catch (MetadataNotFoundException e) {
                throw new UntrustedRootException(gun, "the server does not have root v" + version + " between the trusted v"
                        + trustedRoot.version() + " and the offered v" + candidateRoot.version());
            }
            RootMetadata stepRoot = RootMetadata.from(step);
            if (stepRoot.version() != version) {
                throw new UntrustedRootException(gun, "the file served as root v" + version + " is root v" + stepRoot.version());
            }
            requireSignedBy(gun, step, stepRoot, previous);
            requireSelfSigned(gun, step, stepRoot);
            previous = stepRoot;
        }
        requireSignedBy(gun, candidate, candidateRoot, previous);
        requireSelfSigned(gun, candidate, candidateRoot);
    }

    /** A rotated root must also meet its own root role's threshold, else its new keys never agreed to it. */
    private static void requireSelfSigned(String gun, SignedMetadata file, RootMetadata root) throws UntrustedRootException {
        try {
            TufSignatures.requireThreshold(file, root.keys(), root.role(RoleNames.ROOT));
        } catch (SignatureThresholdException e) {
            throw new UntrustedRootException(gun, "root v" + root.version() + " is not signed by its own root keys " + root.role(RoleNames.ROOT).keyIds()
                    + " (" + e.getMessage() + ")");
        }
    }

    private static void requireSignedBy(String gun, SignedMetadata file, RootMetadata root, RootMetadata previous) throws UntrustedRootException {
        try {
            TufSignatures.requireThreshold(file, previous.keys(), previous.role(RoleNames.ROOT));
        } catch (SignatureThresholdException e) {
            throw new UntrustedRootException(gun, "root v" + root.version() + " is not signed by the trusted root v"
                    + previous.version() + " (" + e.getMessage() + ")");
        }
    }

    private static void requirePinnedKey(String gun, SignedMetadata file, RootMetadata root, PublicKey pinned) throws UntrustedRootException {
        for (String keyId : root.role(RoleNames.ROOT).keyIds()) {
            TufKey key = root.keys().get(keyId);
            if (key != null && MessageDigest.isEqual(key.publicKey().getEncoded(), pinned.getEncoded())) {
                try {
                    TufSignatures.requireThreshold(file, Map.of(keyId, key), new RoleKeys(List.of(keyId), 1));
                    return;
                } catch (SignatureThresholdException e) {
                    throw new UntrustedRootException(gun, "the pinned root key " + keyId + " did not sign root.json");
                }
            }
        }
        throw new UntrustedRootException(gun, "root.json does not list the pinned root key");
    }

    /**
     * What tells the trusted root apart from the offered one, for a person to act on: the repository its root
     * certificate names, or that its root keys are others (pinned from another repository, or this one re-initialised).
     */
    private static String whoseRoot(String gun, RootMetadata trustedRoot, RootMetadata candidateRoot) {
        for (String keyId : trustedRoot.role(RoleNames.ROOT).keyIds()) {
            TufKey key = trustedRoot.keys().get(keyId);
            if (key != null && key.certificate().isPresent()) {
                String subject = key.certificate().get().getSubjectX500Principal().getName();
                if (!new X500Principal(subject).equals(new X500Principal("CN=" + gun))) {
                    return ": the trusted root belongs to a different repository (its root certificate names '"
                            + subject.replaceFirst("^CN=", "") + "', not '" + gun + "')";
                }
            }
        }
        if (Collections.disjoint(trustedRoot.role(RoleNames.ROOT).keyIds(), candidateRoot.role(RoleNames.ROOT).keyIds())) {
            return ": none of its root keys is the trusted root's (a root of a different repository, or this repository was initialised anew)";
        }
        return "";
    }

    /** notary's trust pinning: a root certificate must name the repository and be valid now. */
    private static void checkRootCertificates(String gun, RootMetadata root, Instant now) throws UntrustedRootException {
        for (String keyId : root.role(RoleNames.ROOT).keyIds()) {
            TufKey key = root.keys().get(keyId);
            if (key == null || key.certificate().isEmpty()) {
                continue;
            }
            X509Certificate certificate = key.certificate().get();
            if (!certificate.getSubjectX500Principal().equals(new X500Principal("CN=" + gun))) {
                throw new UntrustedRootException(gun, "root certificate " + keyId + " is for '" + certificate.getSubjectX500Principal().getName() + "'");
            }
            if (now.isBefore(certificate.getNotBefore().toInstant()) || !now.isBefore(certificate.getNotAfter().toInstant())) {
                throw new UntrustedRootException(gun, "root certificate " + keyId + " is valid only from " + certificate.getNotBefore().toInstant()
                        + " to " + certificate.getNotAfter().toInstant());
            }
        }
    }

    /** Builds a {@link TufVerifier}; a fetcher and a root pin are required. */
    public static final class Builder {
        private MetadataFetcher fetcher;
        private TrustCache cache = new InMemoryTrustCache();
        private Clock clock = Clock.systemUTC();
        private RootPin pin;
        private Limits limits = Limits.DEFAULT;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        public Builder fetcher(MetadataFetcher fetcher) {
            this.fetcher = fetcher;
            return this;
        }

        public Builder cache(TrustCache cache) {
            this.cache = Objects.requireNonNull(cache);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder rootPin(RootPin pin) {
            this.pin = pin;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public TufVerifier build() {
            return new TufVerifier(this);
        }
    }
}
