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
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import java.time.Clock;
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
        // Held from the look for an equivalent bundle to the index update, so that parallel signers in this JVM
        // with the same key add one bundle; across processes two may still both add one (as cosign always does).
        ReentrantLock lock = tagUpdate.locks().lock(repository, RegistryClient.referrersFallbackTag(subject.digest()));
        lock.lock();
        try {
            return writeLocked(image, repository, subject, signer, annotations, equivalence);
        } finally {
            lock.unlock();
        }
    }

    private PendingWrite<Published> writeLocked(ImageReference image, ImageReference repository, Descriptor subject, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence) throws RegistryException, KeyException, SignaturePublishException {
        Digest digest = subject.digest();
        byte[] statement = InTotoStatement.create(image, digest, annotations);
        Optional<BundleSignatureReader.Found> existing = findEquivalent(image, repository, digest, signer, annotations, equivalence);
        if (existing.isPresent()) {
            listener.info("sign", "already attached a bundle by key " + signer.keyId().shortForm() + " with the same annotations ("
                    + existing.get().referrer().shortForm() + "): nothing to add");
            return PendingWrite.done(new Published(existing.get().referrer(), existing.get().bundleDigest(), true, Optional.empty()));
        }
        byte[] signature = signer.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
        byte[] bundle = SigstoreBundle.createDsse(statement, signature, signer.publicKey());
        return attach(repository, subject, bundle, ReferrerManifest.dsseAnnotations(clock.instant()), "sign", "bundle");
    }

    /**
     * Attaches {@code attestation}'s bundle to {@code subject} as a referrer whose {@code dev.sigstore.bundle.predicateType}
     * is the attestation's predicate type ({@link ReferrerManifest#attestationAnnotations}), as cosign 3's
     * {@code attest} does; returns once attached, before the settled confirmation of the fallback tag. Every call
     * attaches a new referrer (its signature and creation time differ), as cosign does.
     */
    public PendingWrite<Published> writeAttestation(ImageReference repository, Descriptor subject, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        Map<String, String> annotations = ReferrerManifest.attestationAnnotations(clock.instant(), attestation.predicateType());
        return attach(repository, subject, attestation.bundle(), annotations, "attest", "attestation bundle");
    }

    /**
     * Pushes {@code bundle} and its referrer manifest by digest; without the referrers API, lists the manifest in the
     * fallback tag through {@link TagUpdate} (confirmed later).
     */
    private PendingWrite<Published> attach(ImageReference repository, Descriptor subject, byte[] bundle, Map<String, String> manifestAnnotations,
            String event, String what) throws RegistryException, KeyException, SignaturePublishException {
        Digest digest = subject.digest();
        Digest bundleDigest = Digest.sha256(bundle);
        byte[] manifest = ReferrerManifest.create(new Descriptor(MediaTypes.SIGSTORE_BUNDLE, bundleDigest, bundle.length), subject, manifestAnnotations);
        Digest manifestDigest = Digest.sha256(manifest);
        PushedManifest pushed = tagUpdate.pushThroughBlobRaces("bundle referrer", () -> {
            registry.pushBlob(repository, bundle);
            registry.pushBlob(repository, ReferrerManifest.EMPTY_CONFIG); // every bundle's: concurrent signers upload it at once
            return registry.pushManifestReportingSubject(repository, manifestDigest.toString(), manifest, MediaTypes.OCI_MANIFEST);
        });
        if (pushed.subject().isPresent()) {
            if (!pushed.subject().get().equals(digest)) {
                throw new SignaturePublishException("the registry indexed the bundle referrer " + manifestDigest + " under subject "
                        + pushed.subject().get() + ", not " + digest);
            }
            listener.info(event, "attached " + what + " " + manifestDigest.shortForm() + " to " + digest.shortForm() + " in " + repository.name()
                    + " (the registry's referrers API indexed it)");
            return PendingWrite.done(new Published(manifestDigest, bundleDigest, false, Optional.empty()));
        }
        String tag = RegistryClient.referrersFallbackTag(digest);
        Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length);
        TagUpdate.Pending<ReferrersIndex> pending = tagUpdate.write(repository, tag, "referrers index",
                current -> index(current).filter(i -> i.contains(manifestDigest)),
                current -> {
                    ReferrersIndex base = index(current).orElseGet(ReferrersIndex::empty);
                    listener.debug(event, "writing referrer " + (base.size() + 1) + " to " + repository.name() + ":" + tag);
                    ReferrersIndex next = base.with(entry, MediaTypes.SIGSTORE_BUNDLE, manifestAnnotations);
                    return new TagUpdate.Next<>(next.toBytes(), MediaTypes.OCI_INDEX, next);
                });
        return PendingWrite.of(pending, outcome -> {
            warnIfBeyondTheReadLimit(repository, tag, outcome.value(), manifestDigest);
            listener.info(event, "attached " + what + " " + manifestDigest.shortForm() + " to " + digest.shortForm() + " in " + repository.name()
                    + " (no referrers API: listed in the fallback tag " + tag + ")");
            return new Published(manifestDigest, bundleDigest, false, Optional.of(tag));
        });
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
