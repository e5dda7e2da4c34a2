package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.PushedManifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes a cosign 3 signature: a Sigstore bundle (DSSE over an in-toto statement naming the image digest)
 * attached to the image as an OCI referrer. The bundle blob and the empty config are uploaded first, then the
 * referrer manifest by digest with {@code subject}. A registry with the referrers API answers {@code OCI-Subject} and
 * indexes it; otherwise (distribution 2.8, GHCR, …) this publisher adds the manifest to the fallback tag's image index
 * {@code sha256-<hex>}, keeping every earlier entry as it was, through the same per-tag lock, merge-and-retry and
 * settled confirmation as the {@code .sig} tag ({@link TagUpdate}). The referrers API is preferred: each bundle is then
 * its own manifest pushed by digest, with no shared state to race on.
 *
 * <p>Unlike cosign, which adds a referrer on every run, signing again with the same key and annotations adds
 * nothing when a bundle by that key over an equivalent statement is already attached: a pipeline re-run must not
 * grow the referrer list without bound.
 */
public final class BundlePublisher {
    private final RegistryClient registry;
    private final ProgressListener listener;
    private final Clock clock;
    private final BundleSignatureReader reader;
    private final TagUpdate tagUpdate;

    public BundlePublisher(RegistryClient registry, ProgressListener listener, Clock clock) {
        this(registry, listener, clock, TagUpdate.Settings.defaults());
    }

    /** With other retry timing or locks (tests: no pauses, or locks of its own to act as a separate process). */
    BundlePublisher(RegistryClient registry, ProgressListener listener, Clock clock, TagUpdate.Settings settings) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
        this.clock = Objects.requireNonNull(clock);
        this.reader = new BundleSignatureReader(registry, listener);
        this.tagUpdate = new TagUpdate(registry, listener, settings);
    }

    /**
     * What a publish did.
     *
     * @param referrerDigest the digest of the referrer manifest (ours, or the equivalent one already there)
     * @param bundleDigest the digest of the bundle blob
     * @param alreadyPresent true when an equivalent bundle by the same key was already attached
     * @param fallbackTag the fallback tag we updated, when the registry has no referrers API; empty otherwise
     */
    public record Published(Digest referrerDigest, Digest bundleDigest, boolean alreadyPresent, Optional<String> fallbackTag)
            implements StoredSignature {
        @Override
        public SignatureFormat format() {
            return SignatureFormat.BUNDLE;
        }

        @Override
        public String describe() {
            return "bundle referrer " + referrerDigest.shortForm() + fallbackTag.map(tag -> " listed in " + tag).orElse("");
        }

        @Override
        public String location(ImageReference repository) {
            return repository.name() + "@" + referrerDigest;
        }
    }

    /**
     * Signs {@code subject} (the image manifest's descriptor) of {@code image}'s repository and attaches the bundle in
     * {@code repository} (the image's own repository unless configured otherwise).
     */
    public Published publish(ImageReference image, ImageReference repository, Descriptor subject, Signer signer, Map<String, String> annotations)
            throws RegistryException, KeyException, SignaturePublishException {
        return publish(image, repository, subject, signer, annotations, SignatureEquivalence.EXACT);
    }

    /**
     * As {@link #publish(ImageReference, ImageReference, Descriptor, Signer, Map)}; attaches nothing when a bundle by
     * the same key that {@code equivalence} deems the same is already attached.
     */
    public Published publish(ImageReference image, ImageReference repository, Descriptor subject, Signer signer, Map<String, String> annotations,
            SignatureEquivalence equivalence) throws RegistryException, KeyException, SignaturePublishException {
        return write(image, repository, subject, signer, annotations, equivalence).result();
    }

    /**
     * As {@link #publish(ImageReference, ImageReference, Descriptor, Signer, Map, SignatureEquivalence)}, but returns
     * once the bundle is attached, before the settled confirmation of the fallback tag: {@link PendingWrite#result()}
     * confirms it (at once with the referrers API, which has nothing to confirm).
     */
    public PendingWrite<Published> write(ImageReference image, ImageReference repository, Descriptor subject, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence)
            throws RegistryException, KeyException, SignaturePublishException {
        return writeAll(image, repository, subject, Optional.of(new SignatureStorage.SignatureToWrite(signer, annotations, equivalence)), List.of())
                .signature().orElseThrow();
    }

    /**
     * Attaches {@code attestation}'s bundle to {@code subject} as a referrer ({@link #writeAll} with no signature).
     */
    public PendingWrite<Published> writeAttestation(ImageReference repository, Descriptor subject, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        return writeAll(null, repository, subject, Optional.empty(), List.of(attestation)).attestations().get(0);
    }

    /**
     * What {@link #writeAll} wrote, each awaiting its confirmation (all of them through the one fallback tag update).
     *
     * @param signature empty when no signature was asked for
     * @param attestations one per attestation, in order
     */
    public record Written(Optional<PendingWrite<Published>> signature, List<PendingWrite<Published>> attestations) {
    }

    /**
     * Signs {@code subject} (when {@code signature} is present, unless an equivalent bundle by the same key is
     * attached already) and attaches that bundle and each of {@code attestations}' bundles as referrers: the blobs
     * and referrer manifests are pushed by digest, and without the referrers API all of them are added to the
     * fallback tag in one read-modify-write, so one settled confirmation covers them. An attestation's referrer has
     * its predicate type as {@code dev.sigstore.bundle.predicateType} ({@link ReferrerManifest#attestationAnnotations}),
     * as cosign 3's {@code attest} writes it; every attestation attaches a new referrer (its signature and creation
     * time differ), as cosign does.
     *
     * @param image the signed image (its repository goes into the signature's statement); unused without a signature
     */
    public Written writeAll(ImageReference image, ImageReference repository, Descriptor subject, Optional<SignatureStorage.SignatureToWrite> signature,
            List<SignedAttestation> attestations) throws RegistryException, KeyException, SignaturePublishException {
        for (SignedAttestation attestation : attestations) {
            checkAttestationSize(attestation);
        }
        // Held from the look for an equivalent bundle to the index update, so that parallel signers in this JVM
        // with the same key add one bundle; across processes two may still both add one (as cosign always does).
        ReentrantLock lock = tagUpdate.locks().lock(repository, RegistryClient.referrersFallbackTag(subject.digest()));
        lock.lock();
        try {
            return writeAllLocked(image, repository, subject, signature, attestations);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses an attestation whose bundle verifiers would not read ({@link BundleSignatureReader#MAX_BUNDLE_BYTES}),
     * before anything is written.
     */
    public static void checkAttestationSize(SignedAttestation attestation) throws SignaturePublishException {
        int size = attestation.bundle().length;
        if (size > BundleSignatureReader.MAX_BUNDLE_BYTES) {
            throw new SignaturePublishException("the attestation bundle for predicate type " + attestation.predicateType() + " has " + size
                    + " bytes, over the limit of " + BundleSignatureReader.MAX_BUNDLE_BYTES + " bytes that verifiers read; nothing was written");
        }
    }

    /** One bundle to attach, with its referrer manifest. */
    private record Referrer(byte[] bundle, byte[] manifest, Digest manifestDigest, Map<String, String> annotations, String event, String what) {
        static Referrer of(Descriptor subject, byte[] bundle, Map<String, String> annotations, String event, String what) {
            byte[] manifest = ReferrerManifest.create(new Descriptor(MediaTypes.SIGSTORE_BUNDLE, Digest.sha256(bundle), bundle.length), subject,
                    annotations);
            return new Referrer(bundle, manifest, Digest.sha256(manifest), annotations, event, what);
        }

        Descriptor entry() {
            return new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length);
        }

        Published published(Optional<String> fallbackTag) {
            return new Published(manifestDigest, Digest.sha256(bundle), false, fallbackTag);
        }
    }

    private Written writeAllLocked(ImageReference image, ImageReference repository, Descriptor subject,
            Optional<SignatureStorage.SignatureToWrite> signature, List<SignedAttestation> attestations)
            throws RegistryException, KeyException, SignaturePublishException {
        Instant created = clock.instant();
        List<Referrer> referrers = new ArrayList<>();
        Optional<PendingWrite<Published>> signatureFound = Optional.empty();
        if (signature.isPresent()) {
            SignatureStorage.SignatureToWrite s = signature.get();
            Optional<BundleSignatureReader.Found> existing = findEquivalent(image, repository, subject.digest(), s.signer(), s.annotations(),
                    s.equivalence());
            if (existing.isPresent()) {
                listener.info("sign", "already attached a bundle by key " + s.signer().keyId().shortForm() + " with the same annotations ("
                        + existing.get().referrer().shortForm() + "): nothing to add");
                signatureFound = Optional.of(PendingWrite.done(new Published(existing.get().referrer(), existing.get().bundleDigest(), true,
                        Optional.empty())));
            } else {
                byte[] statement = InTotoStatement.create(image, subject.digest(), s.annotations());
                byte[] signed = s.signer().sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
                referrers.add(Referrer.of(subject, SigstoreBundle.createDsse(statement, signed, s.signer().publicKey()),
                        ReferrerManifest.dsseAnnotations(created), "sign", "bundle"));
            }
        }
        for (SignedAttestation attestation : attestations) {
            referrers.add(Referrer.of(subject, attestation.bundle(), ReferrerManifest.attestationAnnotations(created, attestation.predicateType()),
                    "attest", "attestation bundle"));
        }
        List<PendingWrite<Published>> attached = attach(repository, subject, referrers);
        Optional<PendingWrite<Published>> signatureWrite = signatureFound.isPresent() || signature.isEmpty() ? signatureFound
                : Optional.of(attached.get(0));
        List<PendingWrite<Published>> attestationWrites = attached.subList(attached.size() - attestations.size(), attached.size());
        return new Written(signatureWrite, List.copyOf(attestationWrites));
    }

    /**
     * Pushes each bundle and its referrer manifest by digest; without the referrers API, lists all the manifests in
     * the fallback tag in one {@link TagUpdate} (confirmed later). One pending write per referrer, in order.
     */
    private List<PendingWrite<Published>> attach(ImageReference repository, Descriptor subject, List<Referrer> referrers)
            throws RegistryException, KeyException, SignaturePublishException {
        if (referrers.isEmpty()) {
            return List.of();
        }
        Digest digest = subject.digest();
        List<PushedManifest> pushed = tagUpdate.pushThroughBlobRaces("bundle referrer", () -> {
            registry.pushBlob(repository, ReferrerManifest.EMPTY_CONFIG); // every bundle's: concurrent signers upload it at once
            List<PushedManifest> out = new ArrayList<>();
            for (Referrer referrer : referrers) {
                registry.pushBlob(repository, referrer.bundle());
                out.add(registry.pushManifestReportingSubject(repository, referrer.manifestDigest().toString(), referrer.manifest(),
                        MediaTypes.OCI_MANIFEST));
            }
            return out;
        });
        String tag = RegistryClient.referrersFallbackTag(digest);
        List<Referrer> unindexed = new ArrayList<>();
        for (int i = 0; i < referrers.size(); i++) {
            Optional<Digest> indexedUnder = pushed.get(i).subject();
            if (indexedUnder.isPresent() && !indexedUnder.get().equals(digest)) {
                throw new SignaturePublishException("the registry indexed the bundle referrer " + referrers.get(i).manifestDigest() + " under subject "
                        + indexedUnder.get() + ", not " + digest);
            }
            if (indexedUnder.isEmpty()) {
                unindexed.add(referrers.get(i));
            }
        }
        TagUpdate.Pending<ReferrersIndex> pending = unindexed.isEmpty() ? null : tagUpdate.write(repository, tag, "referrers index",
                current -> index(current).filter(i -> unindexed.stream().allMatch(r -> i.contains(r.manifestDigest()))),
                current -> {
                    ReferrersIndex next = index(current).orElseGet(ReferrersIndex::empty);
                    for (Referrer referrer : unindexed) {
                        if (!next.contains(referrer.manifestDigest())) {
                            listener.debug(referrer.event(), "writing referrer " + (next.size() + 1) + " to " + repository.name() + ":" + tag);
                            next = next.with(referrer.entry(), MediaTypes.SIGSTORE_BUNDLE, referrer.annotations());
                        }
                    }
                    return new TagUpdate.Next<>(next.toBytes(), MediaTypes.OCI_INDEX, next);
                });
        List<PendingWrite<Published>> out = new ArrayList<>();
        for (Referrer referrer : referrers) {
            String attached = "attached " + referrer.what() + " " + referrer.manifestDigest().shortForm() + " to " + digest.shortForm() + " in "
                    + repository.name();
            if (!unindexed.contains(referrer)) {
                listener.info(referrer.event(), attached + " (the registry's referrers API indexed it)");
                out.add(PendingWrite.done(referrer.published(Optional.empty())));
            } else {
                out.add(PendingWrite.of(pending, outcome -> {
                    warnIfBeyondTheReadLimit(repository, tag, outcome.value(), referrer.manifestDigest());
                    listener.info(referrer.event(), attached + " (no referrers API: listed in the fallback tag " + tag + ")");
                    return referrer.published(Optional.of(tag));
                }));
            }
        }
        return out;
    }

    /**
     * Verifiers read a bounded number of referrers ({@link BundleSignatureReader#MAX_REFERRERS}); a fallback index
     * already crowded with bundle entries (or junk typed as such) would hide ours. Checked on the index as written
     * and confirmed, so it costs no request. The {@code .sig} signature, when written, is unaffected; the warning says what to do.
     */
    private void warnIfBeyondTheReadLimit(ImageReference repository, String tag, ReferrersIndex index, Digest ours) {
        List<ReferrersIndex.Entry> read = BundleSignatureReader.bundleCandidates(index.entries());
        for (int position = 0; position < read.size(); position++) {
            if (read.get(position).descriptor().digest().filter(ours::equals).isPresent()) {
                if (position >= BundleSignatureReader.MAX_REFERRERS) {
                    listener.warning("sign", "the bundle " + ours.shortForm() + " is entry " + (position + 1) + " of the bundle referrers in "
                            + repository.name() + ":" + tag + "; verifiers read the first " + BundleSignatureReader.MAX_REFERRERS
                            + ", so it will not be seen. Remove stale referrers from that tag, or rely on the .sig signature.");
                }
                break;
            }
        }
    }

    /** The fallback tag's referrers index, when the tag exists. */
    private static Optional<ReferrersIndex> index(Optional<Manifest> current) throws MalformedDocumentException {
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (!MediaTypes.OCI_INDEX.equals(current.get().mediaType())) {
            throw new MalformedDocumentException("the tag holds a '" + current.get().mediaType() + "', not an OCI image index");
        }
        return Optional.of(ReferrersIndex.parse(current.get().bytes()));
    }

    /**
     * A bundle already attached whose DSSE signature verifies under our key over a cosign image-signature statement
     * naming this digest, in this repository (or no repository, as cosign writes), with annotations
     * {@code equivalence} deems the same.
     */
    private Optional<BundleSignatureReader.Found> findEquivalent(ImageReference image, ImageReference repository, Digest digest, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence) throws RegistryException, SignaturePublishException {
        String name = image.repositoryOnly().name();
        // the referrers of a digest other signers are attaching to: distribution answers 500 while the tag is written
        List<BundleSignatureReader.Found> attached = tagUpdate.retryingServerErrors(repository, RegistryClient.referrersFallbackTag(digest),
                () -> reader.find(repository, digest));
        for (BundleSignatureReader.Found found : attached) {
            if (found.problem() != null || !(found.bundle().content() instanceof SigstoreBundle.DsseContent dsse)
                    || !Dsse.IN_TOTO_PAYLOAD_TYPE.equals(dsse.payloadType())) {
                continue;
            }
            byte[] pae = Dsse.pae(dsse.payloadType(), dsse.payload());
            boolean ours = dsse.signatures().stream()
                    .anyMatch(s -> SignatureVerifier.verify(signer.publicKey(), signer.scheme(), pae, s.sig()));
            if (!ours) {
                continue;
            }
            try {
                Optional<Subject> subject = InTotoStatement.parse(dsse.payload()).imageSignatureSubject(digest);
                if (subject.isPresent() && subject.get().name().map(name::equals).orElse(true)
                        && equivalence.sameAnnotations(subject.get().annotations(), annotations)) {
                    return Optional.of(found);
                }
            } catch (MalformedSignatureException e) {
                listener.debug("sign", "bundle " + found.source() + " by our key does not parse: " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
