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
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes a cosign-format signature: appends one layer to the {@code sha256-<hex>.sig} manifest.
 *
 * <p>Nothing is lost: the payload and config blobs are uploaded before the manifest, and the manifest is only
 * ever replaced by one that holds every layer the registry had plus ours, so a failure at any step leaves the
 * earlier signatures in place. The tag's read-modify-write is the format's known race; within one JVM (a Jenkins
 * controller) writers of one tag take turns, and across processes every writer reads the tag back after writing
 * and tries again, with backoff, until its layer is there.
 */
public final class CosignPublisher {
    private static final Map<String, ReentrantLock> TAG_LOCKS = new ConcurrentHashMap<>();

    private final RegistryClient registry;
    private final ProgressListener listener;
    private final int maxAttempts;
    private final Duration initialBackoff;

    public CosignPublisher(RegistryClient registry, ProgressListener listener) {
        this(registry, listener, 8, Duration.ofMillis(50));
    }

    public CosignPublisher(RegistryClient registry, ProgressListener listener, int maxAttempts, Duration initialBackoff) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
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
        ReentrantLock lock = TAG_LOCKS.computeIfAbsent(signatureRepository.name() + ":" + tag, k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<Manifest> existing = registry.fetchManifest(signatureRepository, tag);
            if (existing.isPresent() && holdsOurSignature(existing.get(), payloadDigest, payload, signer)) {
                listener.info("sign", "already signed by key " + signer.keyId().shortForm() + " with the same annotations: nothing to add");
                return new Published(payloadDigest, tag, true, existing.get().digest());
            }
            byte[] signature = signer.sign(payload);
            registry.pushBlob(signatureRepository, payload);
            Duration backoff = initialBackoff;
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                SignatureManifest base = existing.map(m -> SignatureManifest.parse(m.bytes())).orElseGet(SignatureManifest::empty);
                SignatureManifest next = base.withSignature(payloadDigest, payload.length, signature);
                byte[] config = next.configBlob();
                Digest configDigest = registry.pushBlob(signatureRepository, config);
                Digest written = registry.pushManifest(signatureRepository, tag, next.toBytes(configDigest, config.length), MediaTypes.OCI_MANIFEST);
                existing = registry.fetchManifest(signatureRepository, tag);
                if (existing.isPresent() && holdsOurSignature(existing.get(), payloadDigest, payload, signer)) {
                    listener.info("sign", "stored signature " + (base.size() + 1) + " at " + signatureRepository.name() + ":" + tag);
                    return new Published(payloadDigest, tag, false, written);
                }
                listener.warning("sign", "another writer replaced " + tag + " at the same time; retrying (attempt " + (attempt + 1) + ")");
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
            throw new SignaturePublishException("could not store the signature at " + signatureRepository.name() + ":" + tag
                    + " after " + maxAttempts + " attempts: other writers kept replacing the tag");
        } catch (IllegalArgumentException e) {
            throw new SignaturePublishException("the existing signature manifest at " + signatureRepository.name() + ":" + tag
                    + " is malformed, so appending to it could lose signatures: " + e.getMessage());
        } finally {
            lock.unlock();
        }
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

    private static void sleep(Duration base) throws SignaturePublishException {
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, base.toMillis()));
        try {
            Thread.sleep(base.toMillis() + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignaturePublishException("interrupted while retrying; earlier signatures are untouched");
        }
    }
}
