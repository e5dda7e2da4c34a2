package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishes a cosign-format signature: appends one layer to the {@code sha256-<hex>.sig} manifest.
 *
 * <p>Nothing is lost: the payload and config blobs are uploaded before the manifest, and the manifest is only
 * ever replaced by one that holds every layer the registry had plus ours, so a failure at any step leaves the
 * earlier signatures in place. The tag's read-modify-write is the format's known race, handled by {@link TagUpdate}
 * (per-tag lock in the JVM; across processes read back, merge again and retry, and confirm after a settle delay
 * before reporting success).
 */
public final class CosignPublisher {
    private final RegistryClient registry;
    private final ProgressListener listener;
    private final TagUpdate tagUpdate;

    public CosignPublisher(RegistryClient registry, ProgressListener listener) {
        this(registry, listener, TagUpdate.Settings.defaults());
    }

    /** With other retry timing or locks (tests: no pauses, or locks of its own to act as a separate process). */
    CosignPublisher(RegistryClient registry, ProgressListener listener, TagUpdate.Settings settings) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
        this.tagUpdate = new TagUpdate(registry, listener, settings);
    }

    /** What a publish did. */
    public record Published(Digest payloadDigest, String signatureTag, boolean alreadyPresent, Digest signatureManifestDigest)
            implements StoredSignature {
        @Override
        public SignatureFormat format() {
            return SignatureFormat.LEGACY;
        }

        @Override
        public String describe() {
            return "legacy " + signatureTag;
        }

        @Override
        public String location(ImageReference repository) {
            return repository.name() + ":" + signatureTag;
        }
    }

    /**
     * Signs {@code digest} of {@code image}'s repository and stores the signature in {@code signatureRepository}
     * (the image's own repository unless configured otherwise). Signing again with the same key and annotations
     * adds nothing.
     */
    public Published publish(ImageReference image, ImageReference signatureRepository, Digest digest, Signer signer,
            Map<String, String> annotations) throws RegistryException, KeyException, SignaturePublishException {
        return publish(image, signatureRepository, digest, signer, annotations, SignatureEquivalence.EXACT);
    }

    /**
     * As {@link #publish(ImageReference, ImageReference, Digest, Signer, Map)}; adds nothing when a signature by the
     * same key that {@code equivalence} deems the same is already stored.
     */
    public Published publish(ImageReference image, ImageReference signatureRepository, Digest digest, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence)
            throws RegistryException, KeyException, SignaturePublishException {
        return write(image, signatureRepository, digest, signer, annotations, equivalence).result();
    }

    /**
     * As {@link #publish(ImageReference, ImageReference, Digest, Signer, Map, SignatureEquivalence)}, but returns
     * once the signature is written, before its settled confirmation: {@link PendingWrite#result()} confirms it.
     */
    public PendingWrite<Published> write(ImageReference image, ImageReference signatureRepository, Digest digest, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence)
            throws RegistryException, KeyException, SignaturePublishException {
        byte[] payload = SimpleSigningPayload.create(image, digest, annotations);
        Digest payloadDigest = Digest.sha256(payload);
        String tag = digest.signatureTag();
        byte[][] signature = new byte[1][];
        TagUpdate.Pending<Published> pending = tagUpdate.write(signatureRepository, tag, "signature manifest",
                current -> current.isEmpty() ? Optional.empty()
                        : equivalentSignature(current.get(), signatureRepository, payloadDigest, payload, signer, equivalence)
                                .map(found -> new Published(found, tag, true, current.get().digest())),
                current -> {
                    if (signature[0] == null) {
                        signature[0] = signer.sign(payload);
                    }
                    registry.pushBlob(signatureRepository, payload); // again on a retry: a concurrent upload may have hidden it
                    SignatureManifest base = current.isPresent() ? SignatureManifest.parse(current.get().bytes()) : SignatureManifest.empty();
                    SignatureManifest next = base.withSignature(payloadDigest, payload.length, signature[0]);
                    byte[] config = next.configBlob();
                    Digest configDigest = registry.pushBlob(signatureRepository, config);
                    byte[] manifest = next.toBytes(configDigest, config.length);
                    listener.debug("sign", "writing signature " + (base.size() + 1) + " to " + signatureRepository.name() + ":" + tag);
                    return new TagUpdate.Next<>(manifest, MediaTypes.OCI_MANIFEST, new Published(payloadDigest, tag, false, Digest.sha256(manifest)));
                });
        return PendingWrite.of(pending, outcome -> {
            if (outcome.alreadyPresent()) {
                listener.info("sign", "already signed by key " + signer.keyId().shortForm() + " with the same annotations: nothing to add");
            } else {
                listener.info("sign", "stored the signature at " + signatureRepository.name() + ":" + tag);
            }
            return outcome.value();
        });
    }

    /**
     * Appends {@code attestation}'s envelope as one layer of the {@code sha256-<hex>.att} manifest of {@code digest} in
     * {@code signatureRepository}, through the same two-phase {@link TagUpdate} as the {@code .sig} tag (earlier layers
     * kept verbatim, merge and retry, settled confirmation). A layer with the same envelope bytes already there adds
     * nothing; an envelope signed again (ECDSA signatures differ every time) is a new layer, as cosign appends it.
     */
    public PendingWrite<Published> writeAttestation(ImageReference signatureRepository, Digest digest, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        byte[] envelope = attestation.envelope();
        Digest envelopeDigest = Digest.sha256(envelope);
        String tag = digest.attestationTag();
        TagUpdate.Pending<Published> pending = tagUpdate.write(signatureRepository, tag, "attestation manifest",
                current -> current.isEmpty() ? Optional.empty()
                        : SignatureManifest.parse(current.get().bytes()).layers().stream()
                                .filter(layer -> layer.digest().filter(envelopeDigest::equals).isPresent())
                                .findFirst()
                                .map(layer -> new Published(envelopeDigest, tag, true, current.get().digest())),
                current -> {
                    registry.pushBlob(signatureRepository, envelope); // again on a retry: a concurrent upload may have hidden it
                    SignatureManifest base = current.isPresent() ? SignatureManifest.parse(current.get().bytes()) : SignatureManifest.empty();
                    SignatureManifest next = base.withAttestation(envelopeDigest, envelope.length, attestation.predicateType());
                    byte[] config = next.configBlob();
                    Digest configDigest = registry.pushBlob(signatureRepository, config);
                    byte[] manifest = next.toBytes(configDigest, config.length);
                    listener.debug("attest", "writing attestation " + (base.size() + 1) + " to " + signatureRepository.name() + ":" + tag);
                    return new TagUpdate.Next<>(manifest, MediaTypes.OCI_MANIFEST, new Published(envelopeDigest, tag, false, Digest.sha256(manifest)));
                });
        return PendingWrite.of(pending, outcome -> {
            listener.info("attest", (outcome.alreadyPresent() ? "the attestation is already stored at " : "stored the attestation at ")
                    + signatureRepository.name() + ":" + tag);
            return outcome.value();
        });
    }

    /**
     * The payload digest of a layer whose signature verifies under our key over our payload, or (when
     * {@code equivalence} ignores some annotations) over a payload for the same digest and repository whose
     * annotations it deems the same. Only the second case reads payloads, and only of layers that are not ours.
     */
    private Optional<Digest> equivalentSignature(Manifest manifest, ImageReference signatureRepository, Digest payloadDigest, byte[] payload,
            Signer signer, SignatureEquivalence equivalence) throws RegistryException, MalformedDocumentException {
        List<SignatureManifest.Layer> layers = SignatureManifest.parse(manifest.bytes()).layers();
        for (SignatureManifest.Layer layer : layers) {
            if (layer.digest().filter(payloadDigest::equals).isPresent() && signedByUs(layer, payload, signer)) {
                return Optional.of(payloadDigest);
            }
        }
        if (!equivalence.ignoresSomeAnnotations()) {
            return Optional.empty();
        }
        SimpleSigningPayload ours = parseOwn(payload);
        for (SignatureManifest.Layer layer : layers) {
            Optional<Digest> other = layer.digest().filter(d -> !d.equals(payloadDigest));
            if (other.isEmpty() || layer.signature().isEmpty() || layer.size() < 0 || layer.size() > CosignSignatureReader.MAX_PAYLOAD_BYTES) {
                continue;
            }
            byte[] theirs = registry.fetchBlob(signatureRepository, other.get(), CosignSignatureReader.MAX_PAYLOAD_BYTES);
            if (!signedByUs(layer, theirs, signer)) {
                continue;
            }
            try {
                SimpleSigningPayload parsed = SimpleSigningPayload.parse(theirs);
                if (parsed.manifestDigest().equals(ours.manifestDigest()) && parsed.dockerReference().equals(ours.dockerReference())
                        && parsed.optional().size() == parsed.annotations().size()
                        && equivalence.sameAnnotations(parsed.annotations(), ours.annotations())) {
                    return other;
                }
            } catch (MalformedSignatureException e) {
                listener.debug("sign", "signature " + other.get().shortForm() + " by our key has a payload that does not parse: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean signedByUs(SignatureManifest.Layer layer, byte[] payload, Signer signer) {
        Optional<byte[]> signature = layer.signature();
        return signature.isPresent() && SignatureVerifier.verify(signer.publicKey(), signer.scheme(), payload, signature.get());
    }

    private static SimpleSigningPayload parseOwn(byte[] payload) {
        try {
            return SimpleSigningPayload.parse(payload);
        } catch (MalformedSignatureException e) {
            throw new IllegalStateException("our own payload does not parse", e);
        }
    }
}
