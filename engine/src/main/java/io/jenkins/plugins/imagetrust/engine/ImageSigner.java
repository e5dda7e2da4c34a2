package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.attestation.Envelope;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignStorages;
import io.jenkins.plugins.imagetrust.engine.daemon.DaemonException;
import io.jenkins.plugins.imagetrust.engine.daemon.DigestResolver;
import io.jenkins.plugins.imagetrust.engine.daemon.DockerDaemon;
import io.jenkins.plugins.imagetrust.engine.daemon.ResolvedDigest;
import io.jenkins.plugins.imagetrust.engine.daemon.TagMovedException;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignatures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Signs images in the cosign signature formats: resolve the digest, refuse a tag that moved, then (as the request's
 * {@link SignatureFormat} asks; both by default) sign the simple-signing payload and append it to the {@code .sig}
 * manifest, and sign an in-toto statement into a Sigstore bundle attached as an OCI referrer (cosign 3's format);
 * optionally (never by default) also sign the tag into the repository's Notary v1 trust data (Docker Content Trust)
 * with the same key as targets key. Built once and reused; thread-safe.
 *
 * <p>An OCI image index (or Docker manifest list) is signed together with every manifest it lists, nested indexes
 * included, unless the request says {@link SignRequest.Builder#recursive(boolean) recursive(false)}: the listed
 * manifests first, {@link Builder#concurrency} at a time, then the index once all of them are signed. Buildx
 * attestation manifests are left out (no runtime runs them). See {@code docs/cli.md}, "Multi-platform images".
 */
public final class ImageSigner {
    /** How many manifests of an index are signed at once unless {@link Builder#concurrency} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = 4;

    private static final ThreadFactory SIGNING_THREADS = daemonThreads("image-trust-sign-manifest");

    /**
     * Writes the attestations a format keeps under their own tags while the signatures are written. One pool for the
     * JVM (a Jenkins step builds a signer per sign), its threads reused from one sign to the next and ended when idle;
     * unbounded, because the manifests of an index are written on a bounded pool of their own whose tasks wait for these.
     */
    private static final ExecutorService ATTESTATION_WRITES = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemonThreads("image-trust-write-attestations"));

    /** Threads that never keep a JVM (the CLI, a test) alive once its work is done. */
    private static ThreadFactory daemonThreads(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private final RegistryClient registry;
    private final Signer signer;
    private final ProgressListener listener;
    private final ImageReference signatureRepository;
    private final List<SignatureStorage> storages;
    private final DigestResolver resolver;
    private final NotaryServer notary;
    private final int concurrency;

    private ImageSigner(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.signer = Objects.requireNonNull(b.signer, "signer");
        // The manifests an index lists are signed on several threads; a listener need not expect that.
        this.listener = ProgressListener.serialized(b.listener);
        this.concurrency = b.concurrency;
        this.signatureRepository = b.signatureRepository;
        this.storages = CosignStorages.all(registry, listener, b.clock);
        DigestResolver.Builder resolverBuilder = DigestResolver.builder(registry::resolve).listener(listener);
        if (b.daemon != null) {
            resolverBuilder.daemon(b.daemon);
        }
        this.resolver = resolverBuilder.build();
        this.notary = b.notary;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Signs the request's image.
     *
     * @throws TagMovedException when the tag no longer names the digest the build pushed
     * @throws DaemonException when a configured Docker daemon cannot be asked, or lacks the image
     */
    public SignResult sign(SignRequest request) throws RegistryException, KeyException, SigningException, DaemonException, TagMovedException {
        ImageReference image = request.image();
        if (notary != null && request.signatures() && image.tag().isEmpty()) {
            throw new SigningException("Docker Content Trust signs tags: " + image + " has none, so it cannot be published to Notary");
        }
        ResolvedDigest resolved = resolver.resolve(image);
        Digest digest = resolved.toSign(request.expectedDigests(), request.signRegistryDigest(), listener);
        ImageReference repository = signatureRepository != null ? signatureRepository.repositoryOnly() : image.repositoryOnly();
        SignatureFormat format = request.signatureFormat();
        // The signed manifest's descriptor (the bundle's subject, and whether it is an index): the one resolving the
        // image already fetched.
        Descriptor signed = resolved.registryDigest().equals(digest) ? resolved.registryDescriptor()
                : registry.resolve(image.repositoryOnly().withDigest(digest));
        StoredSignatures own;
        List<SignedManifest> children = List.of();
        List<StoredSignature> attested = Collections.synchronizedList(new ArrayList<>());
        if (request.recursive() && MediaTypes.isIndex(signed.mediaType())) {
            IndexSigned both = signIndexAndListed(image, repository, signed, request, attested);
            own = both.index();
            children = both.listed();
        } else {
            List<SignedAttestation> attestations = signAttestations(request, List.of(Subject.of(image, signed.digest())));
            own = confirm(image, repository, signed.digest(), writeSignatures(image, repository, signed, request, attestations, attested));
        }
        if (request.signatures()) {
            listener.info("sign", (own.alreadyPresent() ? "already signed " : "signed ") + image.repositoryOnly().withDigest(digest).pinned()
                    + " with key " + signer.keyId() + " (" + own.describe() + ")"
                    + (children.isEmpty() ? "" : ", and the " + children.size() + " manifests it lists"));
        }
        if (!request.attestations().isEmpty()) {
            listener.info("attest", "attested " + request.attestations().size() + " predicate(s) about " + image.repositoryOnly().withDigest(digest).pinned()
                    + " with key " + signer.keyId() + " (" + attested.size() + " attestation(s) stored)");
        }
        PublishResult notaryResult = notary == null || !request.signatures() ? null : publishToNotary(image, digest);
        return new SignResult(image, digest, signer.keyId(), repository, notaryResult, format, own, children, attested);
    }

    /**
     * Each predicate of the request as an in-toto statement about {@code subjects}, signed once (the same envelope is
     * written in every format and for every subject); one that a format asked for refuses (too large) fails the sign
     * before anything is written.
     */
    private List<SignedAttestation> signAttestations(SignRequest request, List<Subject> subjects) throws KeyException, SigningException {
        List<SignedAttestation> out = new ArrayList<>();
        for (Predicate predicate : request.attestations()) {
            byte[] statement = Statement.write(subjects, predicate.predicateType(), predicate.predicate());
            SignedAttestation attestation = Envelope.signStatement(signer, statement).toSignedAttestation(signer.publicKey());
            for (SignatureStorage storage : storages) {
                if (request.signatureFormat().writes().contains(storage.format())) {
                    try {
                        storage.checkAttestation(attestation); // before anything of the sign is written
                    } catch (SignaturePublishException e) {
                        throw new SigningException(e.getMessage(), e);
                    }
                }
            }
            out.add(attestation);
        }
        return out;
    }

    /** One format's signature (or attestation) of one manifest, written and awaiting its settled confirmation. */
    private record Write(SignatureStorage storage, PendingSignature pending, boolean attestation) {
        String what() {
            return storage.format().id() + (attestation ? " attestation" : " signature");
        }
    }

    /**
     * One manifest's signatures and attestations in the formats asked for, in the order written; confirmed
     * attestations go to {@code attested}, the sign call's list.
     */
    private record Written(List<Write> writes, List<StoredSignature> attested) {
        List<PendingSignature> pendings() {
            return writes.stream().map(Write::pending).toList();
        }
    }

    /**
     * Writes one manifest's signatures and attestations in every format the request asks for; {@link #confirm}
     * confirms them all after one settle delay. A format that keeps attestations under their own tags (legacy
     * {@code .att}) has them written on {@link #ATTESTATION_WRITES} meanwhile; one whose signature and attestations
     * share a tag writes them in one update ({@link SignatureStorage#writeTogether}). When a write fails, what landed
     * (whichever thread wrote it) is confirmed and named in the failure.
     */
    private Written writeSignatures(ImageReference image, ImageReference repository, Descriptor subject, SignRequest request,
            List<SignedAttestation> attestations, List<StoredSignature> attested) throws RegistryException, KeyException, SigningException {
        Set<SignatureFormat> formats = request.signatureFormat().writes();
        SignatureEquivalence equivalence = new SignatureEquivalence(request.perRunAnnotations());
        Optional<SignatureStorage.SignatureToWrite> signature = request.signatures()
                ? Optional.of(new SignatureStorage.SignatureToWrite(signer, request.annotations(), equivalence))
                : Optional.empty();
        List<Future<Landed>> apart = new ArrayList<>();
        for (SignatureStorage storage : storages) {
            if (formats.contains(storage.format()) && storage.attestationsApart() && !attestations.isEmpty()) {
                apart.add(ATTESTATION_WRITES.submit(() -> writeTogether(storage, image, repository, subject, Optional.empty(), attestations)));
            }
        }
        List<Landed> landed = new ArrayList<>();
        for (SignatureStorage storage : storages) {
            if (formats.contains(storage.format())) {
                Landed own = writeTogether(storage, image, repository, subject, signature, storage.attestationsApart() ? List.of() : attestations);
                landed.add(own);
                if (own.failure() != null) {
                    break;
                }
            }
        }
        for (Future<Landed> writing : apart) {
            landed.add(awaitWrite(writing));
        }
        List<Write> writes = new ArrayList<>();
        landed.forEach(l -> writes.addAll(l.writes()));
        // reported as before the attestations were written apart: signatures, then attestations, in format order
        writes.sort(Comparator.comparing(Write::attestation).thenComparing(w -> storages.indexOf(w.storage())));
        Optional<Landed> failed = landed.stream().filter(l -> l.failure() != null).findFirst();
        if (failed.isPresent()) {
            if (failed.get().failure() instanceof KeyException e) {
                throw e;
            }
            throw writeFailed(image, repository, subject.digest(), writes, failed.get().failed(), failed.get().failure());
        }
        return new Written(writes, attested);
    }

    /**
     * What one {@link SignatureStorage#writeTogether} wrote, or why it could not.
     *
     * @param failed the write that failed (its pending null), when {@code failure} is set
     */
    private record Landed(List<Write> writes, Write failed, Exception failure) {
    }

    /** Writes {@code signature} and {@code attestations} in {@code storage}'s format, catching the failure to report it with what landed. */
    private Landed writeTogether(SignatureStorage storage, ImageReference image, ImageReference repository, Descriptor subject,
            Optional<SignatureStorage.SignatureToWrite> signature, List<SignedAttestation> attestations) {
        if (signature.isEmpty() && attestations.isEmpty()) {
            return new Landed(List.of(), null, null);
        }
        try {
            SignatureStorage.WrittenTogether written = storage.writeTogether(image, repository, subject, signature, attestations);
            List<Write> writes = new ArrayList<>();
            written.signature().ifPresent(pending -> writes.add(new Write(storage, pending, false)));
            written.attestations().forEach(pending -> writes.add(new Write(storage, pending, true)));
            return new Landed(writes, null, null);
        } catch (RegistryException | KeyException | SignaturePublishException e) {
            return new Landed(List.of(), new Write(storage, null, signature.isEmpty()), e);
        }
    }

    /** The outcome of a write running on {@link #ATTESTATION_WRITES}; never throws but when interrupted. */
    private static Landed awaitWrite(Future<Landed> writing) throws SigningException {
        try {
            return writing.get();
        } catch (InterruptedException e) {
            writing.cancel(true);
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted while writing the attestations", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing the attestations failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Confirms one manifest's written signatures: every format's tags settle at the same time (one settle delay),
     * then each is read back. Nothing is reported stored before its confirmation.
     */
    private StoredSignatures confirm(ImageReference image, ImageReference repository, Digest digest, Written written)
            throws RegistryException, KeyException, SigningException {
        try {
            PendingSignature.settleAll(written.pendings());
        } catch (SignaturePublishException e) {
            throw new SigningException(e.getMessage(), e);
        }
        return confirmSettled(image, repository, digest, written);
    }

    /** As {@link #confirm}, once the settle delays have passed ({@link PendingSignature#settleAll}). */
    private StoredSignatures confirmSettled(ImageReference image, ImageReference repository, Digest digest, Written written)
            throws RegistryException, KeyException, SigningException {
        List<StoredSignature> stored = new ArrayList<>();
        List<Write> writes = written.writes();
        for (int i = 0; i < writes.size(); i++) {
            try {
                StoredSignature confirmed = writes.get(i).pending().confirm();
                (writes.get(i).attestation() ? written.attested() : stored).add(confirmed);
            } catch (RegistryException | SignaturePublishException e) {
                throw writeFailed(image, repository, digest, writes.subList(0, i), writes.get(i), e);
            }
        }
        return StoredSignatures.of(stored);
    }

    /** One listed manifest's written signatures, or why they could not be written. */
    private record ListedWrite(PlatformManifest manifest, Written written, Throwable failure) {
    }

    /** The index's signatures and those of the manifests it lists, all confirmed. */
    private record IndexSigned(StoredSignatures index, List<SignedManifest> listed) {
    }

    /**
     * Signs the index and every manifest it lists, {@code concurrency} at a time on the shared client. The listed
     * manifests' signatures are written first; once all of them landed the index's are written, and then all of them
     * settle together and are confirmed (one settle delay for the whole index instead of two in a row). Each listed
     * manifest is signed whatever happens to the others. When one cannot be written, the others still complete and
     * the index is not signed; when one cannot be confirmed (another writer kept replacing its tag), the index's
     * signature may already be stored: a runtime checks the platform manifest it pulls, so that platform is refused
     * all the same. Either way {@link IndexSigningException} names each failure with its platform.
     */
    private IndexSigned signIndexAndListed(ImageReference image, ImageReference repository, Descriptor index, SignRequest request,
            List<StoredSignature> attested) throws RegistryException, KeyException, SigningException {
        Manifest indexManifest = registry.fetchManifest(image.repositoryOnly(), index.digest().toString())
                .orElseThrow(() -> new SigningException(image.repositoryOnly().withDigest(index.digest()).pinned()
                        + " disappeared from the registry before the manifests it lists could be read"));
        List<PlatformManifest> listed = IndexWalker.manifestsUnder(registry, image.repositoryOnly(), indexManifest, listener);
        List<SignedAttestation> attestations = signAttestations(request,
                Statement.subjectsForIndex(image, index.digest(), listed.stream().map(PlatformManifest::digest).toList()));
        if (listed.isEmpty()) {
            return new IndexSigned(confirm(image, repository, index.digest(), writeSignatures(image, repository, index, request, attestations, attested)),
                    List.of());
        }
        listener.info("sign", image.repositoryOnly().withDigest(index.digest()).pinned() + " is an image index: signing the "
                + listed.size() + " manifests it lists (" + platforms(listed) + ") and then the index");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, listed.size()), SIGNING_THREADS);
        try {
            List<Future<Written>> writing = new ArrayList<>();
            for (PlatformManifest manifest : listed) {
                writing.add(pool.submit(() -> writeSignatures(image, repository, manifest.descriptor(), request, attestations, attested)));
            }
            List<ListedWrite> writes = new ArrayList<>();
            boolean allWritten = true;
            for (int i = 0; i < listed.size(); i++) {
                try {
                    writes.add(new ListedWrite(listed.get(i), writing.get(i).get(), null));
                } catch (ExecutionException e) {
                    writes.add(new ListedWrite(listed.get(i), null, e.getCause()));
                    allWritten = false;
                }
            }
            Written own = null;
            if (allWritten) {
                try {
                    own = writeSignatures(image, repository, index, request, attestations, attested);
                } catch (RegistryException | KeyException | SigningException e) {
                    // what landed is confirmed (and logged as signed) before the index's failure is reported
                    for (Future<SignedManifest> confirmation : confirmListed(image, repository, writes, pool)) {
                        try {
                            confirmation.get();
                        } catch (ExecutionException unconfirmed) {
                            listener.warning("sign", String.valueOf(unconfirmed.getCause().getMessage()));
                        }
                    }
                    throw e;
                }
            }
            List<PendingSignature> all = new ArrayList<>(own == null ? List.of() : own.pendings());
            writes.stream().filter(w -> w.written() != null).forEach(w -> all.addAll(w.written().pendings()));
            try {
                PendingSignature.settleAll(all);
            } catch (SignaturePublishException e) {
                throw new SigningException(e.getMessage(), e);
            }
            List<Future<SignedManifest>> confirming = confirmListed(image, repository, writes, pool);
            StoredSignatures ownSignatures = null;
            Exception ownUnconfirmed = null; // reported once the platforms' confirmations are in
            try {
                ownSignatures = own == null ? null : confirmSettled(image, repository, index.digest(), own);
            } catch (RegistryException | KeyException | SigningException e) {
                ownUnconfirmed = e;
            }
            List<SignedManifest> signed = new ArrayList<>();
            List<IndexSigningException.Failure> failures = new ArrayList<>();
            Throwable firstCause = null;
            for (int i = 0; i < listed.size(); i++) {
                Throwable cause = writes.get(i).failure();
                if (cause == null) {
                    try {
                        signed.add(confirming.get(i).get());
                    } catch (ExecutionException e) {
                        cause = e.getCause();
                    }
                }
                if (cause != null) {
                    firstCause = firstCause == null ? cause : firstCause;
                    failures.add(new IndexSigningException.Failure(listed.get(i), String.valueOf(cause.getMessage())));
                }
            }
            if (!failures.isEmpty()) {
                throw new IndexSigningException(failureMessage(image, index.digest(), listed.size(), failures, ownSignatures != null), signed, failures,
                        firstCause);
            }
            if (ownUnconfirmed instanceof RegistryException e) {
                throw e;
            } else if (ownUnconfirmed instanceof KeyException e) {
                throw e;
            } else if (ownUnconfirmed != null) {
                throw (SigningException) ownUnconfirmed;
            }
            return new IndexSigned(ownSignatures, signed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted while signing the manifests " + image + " lists", e);
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /** Confirms, on the pool, the signatures of each listed manifest that were written (a null future for the others). */
    private List<Future<SignedManifest>> confirmListed(ImageReference image, ImageReference repository, List<ListedWrite> writes,
            ExecutorService pool) {
        List<Future<SignedManifest>> out = new ArrayList<>();
        for (ListedWrite write : writes) {
            out.add(write.written() == null ? null : pool.submit(() -> {
                PlatformManifest manifest = write.manifest();
                StoredSignatures signatures = confirm(image, repository, manifest.digest(), write.written());
                listener.info("sign", (signatures.alreadyPresent() ? "already signed " : "signed ") + manifest.platformText() + " "
                        + image.repositoryOnly().withDigest(manifest.digest()).pinned() + " (" + signatures.describe() + ")");
                return new SignedManifest(manifest, signatures);
            }));
        }
        return out;
    }

    private static String failureMessage(ImageReference image, Digest index, int listed, List<IndexSigningException.Failure> failures,
            boolean indexSigned) {
        StringBuilder out = new StringBuilder("signing the manifests " + image.repositoryOnly().withDigest(index).pinned() + " lists failed for "
                + failures.size() + " of " + listed + ":");
        for (IndexSigningException.Failure failure : failures) {
            out.append(" [").append(failure.manifest().platformText()).append(' ').append(failure.manifest().digest()).append(": ")
                    .append(failure.reason()).append(']');
        }
        return out.append(indexSigned
                ? "; the others and the index are signed, but a runtime pulling a failed platform finds no signature for it (sign again to complete it)"
                : "; the others are signed, the index is not (sign again to complete it)").toString();
    }

    private static String platforms(List<PlatformManifest> listed) {
        List<String> out = new ArrayList<>();
        listed.forEach(manifest -> out.add(manifest.platformText()));
        return String.join(", ", out);
    }

    /** Waits for the signing threads to end, so none outlives the call. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the manifest signing threads did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writing or confirming {@code failed}'s signature failed. When the formats written before it are stored, they are
     * confirmed first and the failure says where they are, so the caller knows what is already there (old registries
     * reject OCI artifact manifests); without them, the failure is thrown as it is.
     */
    private SigningException writeFailed(ImageReference image, ImageReference repository, Digest digest, List<Write> before,
            Write failed, Exception failure) throws RegistryException, KeyException, SigningException {
        if (before.isEmpty()) {
            if (failure instanceof RegistryException registryFailure) {
                throw registryFailure;
            }
            return new SigningException(failure.getMessage(), failure);
        }
        List<String> stored = new ArrayList<>();
        for (Write write : before) {
            StoredSignature signature;
            try {
                signature = write.pending().confirm();
            } catch (SignaturePublishException e) {
                throw new SigningException(e.getMessage(), e);
            }
            stored.add(write.what() + " of " + image.repositoryOnly().withDigest(digest).pinned() + " is stored at "
                    + signature.location(repository));
        }
        String failedWhat = failed.attestation() ? "writing the " + failed.what() + " failed" : failed.storage().writeFailure();
        return new SigningException("the " + String.join(" and the ", stored) + ", but " + failedWhat + ": " + failure.getMessage(), failure);
    }

    /** After the cosign signature is stored: sign tag → (digest, manifest length) into the repository's Notary targets. */
    private PublishResult publishToNotary(ImageReference image, Digest digest) throws RegistryException, KeyException, SigningException {
        Manifest manifest = registry.fetchManifest(image.repositoryOnly(), digest.toString())
                .orElseThrow(() -> new SigningException(image.repositoryOnly().withDigest(digest).pinned() + " disappeared from the registry before "
                        + "it could be published to Notary"));
        String gun = NotaryServer.gun(image);
        try {
            return notary.publishTag(image, image.tag().orElseThrow(), digest, manifest.size(), signer, listener);
        } catch (NotaryException e) {
            throw new SigningException("the cosign signature of " + image.repositoryOnly().withDigest(digest).pinned() + " is stored, but publishing "
                    + gun + ":" + image.tag().orElseThrow() + " to Notary " + notary.serverUrl() + " failed: " + e.getMessage(), e);
        }
    }

    /** Builds an {@link ImageSigner}; registry and signer are required. */
    public static final class Builder {
        private RegistryClient registry;
        private Signer signer;
        private ProgressListener listener = ProgressListener.NONE;
        private ImageReference signatureRepository;
        private DockerDaemon daemon;
        private NotaryServer notary;
        private Clock clock = Clock.systemUTC();
        private int concurrency = DEFAULT_CONCURRENCY;

        private Builder() {
        }

        /**
         * How many manifests an index lists are signed at once, on the one registry client (default
         * {@value ImageSigner#DEFAULT_CONCURRENCY}).
         */
        public Builder concurrency(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + value);
            }
            this.concurrency = value;
            return this;
        }

        /** The clock that dates bundle referrers ({@code org.opencontainers.image.created}). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Also publish each signed tag to this Notary server (Docker Content Trust), with the signer as the targets
         * key (or a {@code targets/releases} key). Off by default.
         */
        public Builder notary(NotaryServer value) {
            this.notary = value;
            return this;
        }

        /**
         * The Docker daemon that pushed the images: when set, the digest it pushed must be what the registry serves,
         * else signing is refused ({@link TagMovedException}).
         */
        public Builder daemon(DockerDaemon value) {
            this.daemon = value;
            return this;
        }

        public Builder registry(RegistryClient value) {
            this.registry = value;
            return this;
        }

        public Builder signer(Signer value) {
            this.signer = value;
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /** Store signatures in this repository instead of the image's own (cosign's COSIGN_REPOSITORY). */
        public Builder signatureRepository(ImageReference value) {
            this.signatureRepository = value;
            return this;
        }

        public ImageSigner build() {
            return new ImageSigner(this);
        }
    }
}
