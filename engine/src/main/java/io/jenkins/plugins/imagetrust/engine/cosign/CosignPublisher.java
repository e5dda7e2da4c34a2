package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
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
    public record Published(Digest payloadDigest, String signatureTag, boolean alreadyPresent, Digest signatureManifestDigest) {
    }

    /**
     * Signs {@code digest} of {@code image}'s repository and stores the signature in {@code signatureRepository}
     * (the image's own repository unless configured otherwise). Signing again with the same key and annotations
     * adds nothing.
     */
    public Published publish(ImageReference image, ImageReference signatureRepository, Digest digest, Signer signer,
            Map<String, String> annotations) throws RegistryException, KeyException, SignaturePublishException {
        byte[] payload = SimpleSigningPayload.create(image, digest, annotations);
        Digest payloadDigest = Digest.sha256(payload);
        String tag = digest.signatureTag();
        byte[][] signature = new byte[1][];
        TagUpdate.Outcome<Published> outcome = tagUpdate.run(signatureRepository, tag, "signature manifest",
                current -> current.filter(m -> holdsOurSignature(m, payloadDigest, payload, signer))
                        .map(m -> new Published(payloadDigest, tag, true, m.digest())),
                current -> {
                    if (signature[0] == null) {
                        signature[0] = signer.sign(payload);
                    }
                    registry.pushBlob(signatureRepository, payload); // again on a retry: a concurrent upload may have hidden it
                    SignatureManifest base = current.map(m -> SignatureManifest.parse(m.bytes())).orElseGet(SignatureManifest::empty);
                    SignatureManifest next = base.withSignature(payloadDigest, payload.length, signature[0]);
                    byte[] config = next.configBlob();
                    Digest configDigest = registry.pushBlob(signatureRepository, config);
                    byte[] manifest = next.toBytes(configDigest, config.length);
                    listener.debug("sign", "writing signature " + (base.size() + 1) + " to " + signatureRepository.name() + ":" + tag);
                    return new TagUpdate.Next<>(manifest, MediaTypes.OCI_MANIFEST, new Published(payloadDigest, tag, false, Digest.sha256(manifest)));
                });
        if (outcome.alreadyPresent()) {
            listener.info("sign", "already signed by key " + signer.keyId().shortForm() + " with the same annotations: nothing to add");
        } else {
            listener.info("sign", "stored the signature at " + signatureRepository.name() + ":" + tag);
        }
        return outcome.value();
    }

    /** Whether the manifest has a layer with our payload whose signature verifies under our key. */
    private static boolean holdsOurSignature(Manifest manifest, Digest payloadDigest, byte[] payload, Signer signer) {
        for (SignatureManifest.Layer layer : SignatureManifest.parse(manifest.bytes()).layers()) {
            if (layer.digest().filter(payloadDigest::equals).isPresent()) {
                Optional<byte[]> signature = layer.signature();
                if (signature.isPresent() && SignatureVerifier.verify(signer.publicKey(), signer.scheme(), payload, signature.get())) {
                    return true;
                }
            }
        }
        return false;
    }
}
