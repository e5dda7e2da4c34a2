package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.AttestationCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the Sigstore bundles attached to a digest as OCI referrers: the referrers API or, where the registry has
 * none, the fallback tag {@code sha256-<hex>} ({@link RegistryClient#fetchReferrers}). Every index entry is read,
 * whatever its {@code artifactType} says (cosign's fallback index types its entries
 * {@code application/vnd.oci.empty.v1+json}); a manifest is a bundle referrer by its artifactType or by a bundle
 * layer. Manifests and bundle blobs are fetched by digest (verified bytes) under size caps. A bundle that cannot be
 * read becomes a candidate with the reason, so the report shows it; other referrers (SBOMs, other signatures) are
 * skipped.
 */
public final class BundleSignatureReader {
    /** cosign's bundles are a few KiB (a key-signed one under 1 KiB); a bundle larger than this is refused unread. */
    public static final long MAX_BUNDLE_BYTES = 1024 * 1024;
    /** Referrer entries read per digest; the rest are ignored with a warning. */
    public static final int MAX_REFERRERS = 64;
    private static final String SHA2_256 = "SHA2_256";

    private final RegistryClient registry;
    private final ProgressListener listener;

    public BundleSignatureReader(RegistryClient registry, ProgressListener listener) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
    }

    /** One bundle referrer: where it is, and the parsed bundle or why it could not be read. */
    record Found(String source, Digest referrer, Digest bundleDigest, SigstoreBundle bundle, byte[] bytes, String predicateTypeHint,
            RejectionReason problem, String detail) {
        static Found problem(String source, Digest referrer, Digest bundleDigest, RejectionReason problem, String detail) {
            return new Found(source, referrer, bundleDigest, null, null, null, problem, detail);
        }

        /**
         * Whether the referrer's unsigned {@code dev.sigstore.bundle.predicateType} annotation says it is an attestation,
         * not an image signature (cosign 3 writes the predicate URI there for {@code attest}): left out of the
         * signatures, which can only make an image less trusted, never more. cosign 2.6 wrote the signature type for
         * attestations too; those are read and rejected by their statement.
         */
        boolean announcedAttestation() {
            return predicateTypeHint != null && !InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE.equals(predicateTypeHint);
        }

        /** The candidate with this bundle's keyless material when its material is a certificate. */
        SignatureCandidate keylessWhenCertified(SignatureCandidate candidate, Digest image, Optional<byte[]> manifest) {
            if (candidate.problemReason().isPresent() || !bundle.certificateMaterial()) {
                return candidate;
            }
            return candidate.withKeyless((verifier, identity) -> verifier.verifyBundle(bytes, identity, image, manifest));
        }
    }

    /**
     * The bundle signatures of {@code digest} found in {@code signatureRepository}; {@code imageRepository} serves the
     * image manifest a message-signature bundle signs. Empty when there are none.
     *
     * @throws RegistryException when the referrers cannot be listed, or the listing is not an image index
     */
    public List<SignatureCandidate> read(ImageReference imageRepository, ImageReference signatureRepository, Digest digest)
            throws RegistryException {
        List<SignatureCandidate> candidates = new ArrayList<>();
        byte[][] manifest = new byte[1][];
        for (Found found : find(signatureRepository, digest)) {
            if (found.problem() == null && found.announcedAttestation()) {
                listener.debug("fetch-signatures", found.source() + " is an attestation (" + found.predicateTypeHint() + "), not a signature");
            } else if (found.problem() != null) {
                candidates.add(SignatureCandidate.unusable(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), found.problem(), found.detail()));
            } else if (found.bundle().content() instanceof SigstoreBundle.DsseContent dsse) {
                dsseCandidates(found, dsse).forEach(c -> candidates.add(found.keylessWhenCertified(c, digest, Optional.empty())));
            } else {
                SignatureCandidate candidate = messageCandidate(found, (SigstoreBundle.MessageSignatureContent) found.bundle().content(),
                        imageRepository, digest, manifest);
                candidates.add(found.keylessWhenCertified(candidate, digest, Optional.ofNullable(manifest[0])));
            }
        }
        return candidates;
    }

    /**
     * The DSSE bundles attached to {@code digest} in {@code repository}, as attestation candidates (their bytes
     * digest-checked, unparsed beyond the bundle; the statement is judged by the {@code attestation} package), and the
     * bundle referrers that could not be read. Message-signature bundles are image signatures, not attestations: skipped.
     */
    public List<AttestationCandidate> readAttestations(ImageReference repository, Digest digest) throws RegistryException {
        List<AttestationCandidate> candidates = new ArrayList<>();
        for (Found found : find(repository, digest)) {
            if (found.problem() != null) {
                candidates.add(AttestationCandidate.unreadable(SignatureFormat.BUNDLE, found.source(), found.detail()));
            } else if (found.bundle().content() instanceof SigstoreBundle.DsseContent) {
                candidates.add(AttestationCandidate.read(SignatureFormat.BUNDLE, found.source(), found.bytes(), AttestationCandidate.Kind.SIGSTORE_BUNDLE));
            }
        }
        return candidates;
    }

    private static List<SignatureCandidate> dsseCandidates(Found found, SigstoreBundle.DsseContent dsse) {
        if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(dsse.payloadType())) {
            return List.of(SignatureCandidate.unusable(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), RejectionReason.UNKNOWN_PAYLOAD_TYPE,
                    "the envelope's payloadType is '" + dsse.payloadType() + "', not '" + Dsse.IN_TOTO_PAYLOAD_TYPE + "'"));
        }
        byte[] pae = Dsse.pae(dsse.payloadType(), dsse.payload());
        List<SignatureCandidate> out = new ArrayList<>();
        List<DsseEnvelope.Signature> signatures = dsse.signatures();
        for (int i = 0; i < signatures.size(); i++) {
            String source = signatures.size() == 1 ? found.source() : found.source() + "#" + i;
            out.add(InTotoStatement.candidate(source, found.bundleDigest(), dsse.payload(), pae, signatures.get(i).sig()));
        }
        return out;
    }

    /** A message signature of an image is over the manifest bytes, so its message digest must be the image digest. */
    private SignatureCandidate messageCandidate(Found found, SigstoreBundle.MessageSignatureContent message, ImageReference imageRepository,
            Digest digest, byte[][] manifest) {
        if (!SHA2_256.equals(message.digestAlgorithm()) || !"sha256".equals(digest.algorithm())
                || !Arrays.equals(message.digest(), HexFormat.of().parseHex(digest.hex()))) {
            return SignatureCandidate.unusable(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), RejectionReason.SUBJECT_MISMATCH,
                    "the message signature is over " + message.digestAlgorithm() + ":" + HexFormat.of().formatHex(message.digest())
                            + ", the image is " + digest);
        }
        if (manifest[0] == null) {
            try {
                Optional<Manifest> fetched = registry.fetchManifest(imageRepository, digest.toString());
                if (fetched.isEmpty()) {
                    return SignatureCandidate.unusable(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), RejectionReason.PAYLOAD_UNAVAILABLE,
                            "the image manifest " + digest + " is not in " + imageRepository.name());
                }
                manifest[0] = fetched.get().bytes();
            } catch (RegistryException e) {
                return SignatureCandidate.unusable(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), RejectionReason.PAYLOAD_UNAVAILABLE,
                        e.getMessage());
            }
        }
        byte[] signed = manifest[0];
        Digest signedDigest = Digest.sha256(signed);
        return SignatureCandidate.signed(SignatureFormat.BUNDLE, found.source(), found.bundleDigest(), signed, message.signature(),
                image -> new Claims(signedDigest.equals(image), "the message signature is over the manifest " + signedDigest,
                        RejectionReason.SUBJECT_MISMATCH, Optional.empty(), Map.of()));
    }

    /** Every bundle referrer of {@code digest} in {@code repository}, read and parsed (not verified). */
    List<Found> find(ImageReference repository, Digest digest) throws RegistryException {
        Optional<Manifest> listing = registry.fetchReferrers(repository, digest);
        if (listing.isEmpty()) {
            listener.info("fetch-signatures", "no referrers of " + digest.shortForm() + " in " + repository.name());
            return List.of();
        }
        if (!MediaTypes.OCI_INDEX.equals(listing.get().mediaType())) {
            throw new RegistryException(repository.registry(), repository.repository(), "fetch-referrers", "the referrers of "
                    + digest.shortForm() + " are served as '" + listing.get().mediaType() + "', not an OCI image index");
        }
        ReferrersIndex index;
        try {
            index = ReferrersIndex.parse(listing.get().bytes());
        } catch (MalformedDocumentException e) {
            throw new RegistryException(repository.registry(), repository.repository(), "fetch-referrers", "the referrers of "
                    + digest.shortForm() + " cannot be read: " + e.getMessage());
        }
        List<ReferrersIndex.Entry> entries = bundleCandidates(index.entries());
        if (entries.size() > MAX_REFERRERS) {
            listener.warning("fetch-signatures", digest.shortForm() + " has " + entries.size() + " referrers that may be bundles; only "
                    + MAX_REFERRERS + " are read (" + (entries.size() - MAX_REFERRERS) + " not read)");
            entries = entries.subList(0, MAX_REFERRERS);
        }
        List<Found> found = new ArrayList<>();
        for (ReferrersIndex.Entry entry : entries) {
            readEntry(repository, digest, entry).ifPresent(found::add);
        }
        listener.info("fetch-signatures", found.size() + " bundle(s) among " + index.size() + " referrer(s) of " + digest.shortForm()
                + " in " + repository.name());
        return found;
    }

    /**
     * The entries worth fetching, in the order they are read: each manifest once; those typed as a Sigstore bundle
     * first, then those with no type or the empty type (cosign's fallback index loses the type); never those of
     * another artifact type (SBOMs, other tools' signatures), so that they do not use up {@link #MAX_REFERRERS}.
     */
    static List<ReferrersIndex.Entry> bundleCandidates(List<ReferrersIndex.Entry> entries) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<ReferrersIndex.Entry> typed = new ArrayList<>();
        List<ReferrersIndex.Entry> untyped = new ArrayList<>();
        for (ReferrersIndex.Entry entry : entries) {
            String key = entry.descriptor().digest().map(Digest::toString).orElse(null);
            if (key != null && !seen.add(key)) {
                continue;
            }
            if (MediaTypes.SIGSTORE_BUNDLE.equals(entry.artifactType())) {
                typed.add(entry);
            } else if (entry.artifactType().isEmpty() || MediaTypes.OCI_EMPTY.equals(entry.artifactType())) {
                untyped.add(entry);
            }
        }
        typed.addAll(untyped);
        return typed;
    }

    private Optional<Found> readEntry(ImageReference repository, Digest digest, ReferrersIndex.Entry entry) {
        boolean saysBundle = MediaTypes.SIGSTORE_BUNDLE.equals(entry.artifactType());
        Optional<Digest> referrer = entry.descriptor().digest();
        if (referrer.isEmpty()) {
            return saysBundle ? Optional.of(Found.problem("bundle:" + repository.name(), null, null, RejectionReason.MALFORMED_BUNDLE,
                    "a referrers index entry has no valid digest")) : Optional.empty();
        }
        String source = "bundle:" + repository.name() + "@" + referrer.get();
        Optional<Manifest> manifest;
        try {
            manifest = registry.fetchManifest(repository, referrer.get().toString());
        } catch (RegistryException e) {
            return unreadable(saysBundle, source, referrer.get(), e.getMessage());
        }
        if (manifest.isEmpty()) {
            return unreadable(saysBundle, source, referrer.get(), "the referrer manifest " + referrer.get() + " is not in " + repository.name());
        }
        ReferrerManifest parsed;
        try {
            if (!MediaTypes.OCI_MANIFEST.equals(manifest.get().mediaType())) {
                throw new MalformedDocumentException("the referrer is served as '" + manifest.get().mediaType() + "', not an OCI image manifest");
            }
            parsed = ReferrerManifest.parse(manifest.get().bytes());
        } catch (MalformedDocumentException e) {
            return saysBundle ? Optional.of(Found.problem(source, referrer.get(), null, RejectionReason.MALFORMED_BUNDLE, e.getMessage()))
                    : Optional.empty();
        }
        if (!parsed.isBundleReferrer()) {
            listener.debug("fetch-signatures", "referrer " + referrer.get().shortForm() + " is no Sigstore bundle ("
                    + parsed.artifactType().orElse("no artifactType") + "); skipped");
            return Optional.empty();
        }
        Optional<Digest> subject = parsed.subject().flatMap(ReferrerManifest.Entry::digest);
        if (subject.isEmpty() || !subject.get().equals(digest)) {
            return Optional.of(Found.problem(source, referrer.get(), null, RejectionReason.SUBJECT_MISMATCH,
                    "the referrer manifest's subject is " + subject.map(Digest::toString).orElse("missing") + ", the image is " + digest));
        }
        Optional<ReferrerManifest.Entry> layer = parsed.bundleLayer();
        if (layer.isEmpty() || layer.get().digest().isEmpty()) {
            return Optional.of(Found.problem(source, referrer.get(), null, RejectionReason.MALFORMED_BUNDLE,
                    "the referrer manifest has no bundle layer with a valid digest"));
        }
        Digest bundleDigest = layer.get().digest().get();
        long size = layer.get().size();
        if (size < 0 || size > MAX_BUNDLE_BYTES) {
            return Optional.of(Found.problem(source, referrer.get(), bundleDigest, RejectionReason.PAYLOAD_UNAVAILABLE,
                    "the bundle layer declares size " + size + "; bundles over " + MAX_BUNDLE_BYTES + " bytes are not read"));
        }
        byte[] bytes;
        try {
            bytes = registry.fetchBlob(repository, bundleDigest, MAX_BUNDLE_BYTES);
        } catch (RegistryException e) {
            return Optional.of(Found.problem(source, referrer.get(), bundleDigest, RejectionReason.PAYLOAD_UNAVAILABLE, e.getMessage()));
        }
        if (bytes.length != size) {
            return Optional.of(Found.problem(source, referrer.get(), bundleDigest, RejectionReason.PAYLOAD_UNAVAILABLE,
                    "the bundle has " + bytes.length + " bytes, the layer declares " + size));
        }
        try {
            return Optional.of(new Found(source, referrer.get(), bundleDigest, SigstoreBundle.parse(bytes), bytes,
                    parsed.annotations().get(ReferrerManifest.PREDICATE_TYPE_ANNOTATION), null, null));
        } catch (MalformedSignatureException e) {
            return Optional.of(Found.problem(source, referrer.get(), bundleDigest, e.reason(), e.getMessage()));
        }
    }

    /** A referrer that cannot be fetched is reported when its entry says it is a bundle, else skipped with a warning. */
    private Optional<Found> unreadable(boolean saysBundle, String source, Digest referrer, String detail) {
        if (saysBundle) {
            return Optional.of(Found.problem(source, referrer, null, RejectionReason.PAYLOAD_UNAVAILABLE, detail));
        }
        listener.warning("fetch-signatures", "referrer " + referrer.shortForm() + " could not be read, so it is not known whether it is a "
                + "signature: " + detail);
        return Optional.empty();
    }
}
