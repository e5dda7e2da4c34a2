package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every benchmark shares: a real docker-registry on 127.0.0.1 (free port, temporary folder, stopped by PID on
 * {@link #close()}), one {@link RegistryClient}, an in-memory P-256 key, the trust policy naming it, and the raw
 * baseline client. Images are pushed fresh for each benchmark, so no operation measured is a no-op.
 */
final class BenchEnvironment implements AutoCloseable {
    /** How many threads push and sign the benchmark images beforehand (setup only, never measured). */
    private static final int SETUP_THREADS = 8;
    private static final String REPOSITORY = "bench/app";

    private final RegistryFixture registry = new RegistryFixture();
    private final KeyPair keyPair;
    private final InMemorySigner signer;
    private final TrustPolicy policy;
    private final AtomicInteger imageCounter = new AtomicInteger();
    private RegistryClient client;
    private RawRegistry raw;

    BenchEnvironment() throws KeyException {
        this.keyPair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        this.signer = new InMemorySigner(keyPair);
        this.policy = TrustPolicy.builder().key(TrustedKey.builder("bench", keyPair.getPublic()).build()).threshold(1).build();
    }

    /** Starts the registry. */
    void start() throws IOException {
        registry.start();
        client = RegistryClient.builder().build();
        raw = new RawRegistry(registry.host());
    }

    RegistryClient client() {
        return client;
    }

    RawRegistry raw() {
        return raw;
    }

    InMemorySigner signer() {
        return signer;
    }

    KeyPair keyPair() {
        return keyPair;
    }

    TrustPolicy policy() {
        return policy;
    }

    /** {@code count} new, distinct, unsigned images, each under its own tag. */
    List<PushedImage> pushImages(String purpose, int count) throws Exception {
        List<ImageReference> references = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            references.add(registry.reference(REPOSITORY + ":" + purpose + "-" + imageCounter.incrementAndGet()));
        }
        return inParallel(references, image -> new PushedImage(image, TestImages.push(client, image)));
    }

    /**
     * {@code count} new image indexes, each listing one new image per entry of {@code platforms} ({@code {architecture,
     * variant}}, os linux), each under its own tag.
     */
    List<PushedIndex> pushIndexes(String purpose, int count, String[][] platforms) throws Exception {
        List<ImageReference> references = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            references.add(registry.reference(REPOSITORY + ":" + purpose + "-" + imageCounter.incrementAndGet()));
        }
        return inParallel(references, tag -> {
            List<Descriptor> listed = new ArrayList<>();
            List<String> entries = new ArrayList<>();
            for (String[] platform : platforms) {
                Descriptor manifest = TestImages.pushPlatformImage(client, tag, "linux", platform[0], platform[1]);
                listed.add(manifest);
                entries.add(TestImages.entry(manifest, "linux/" + platform[0] + (platform[1] == null ? "" : "/" + platform[1])));
            }
            Descriptor index = TestImages.pushIndex(client, tag, tag.tagOrDefault(), MediaTypes.OCI_INDEX, entries);
            return new PushedIndex(tag, index, listed);
        });
    }

    /** The bodies of a first recursive signature of {@code index}: one per listed manifest, and the index's own. */
    RawRegistry.IndexSignatureUpload signatureOf(PushedIndex index) throws KeyException {
        List<RawRegistry.SignatureUpload> listed = new ArrayList<>();
        for (Descriptor manifest : index.listed()) {
            listed.add(signatureOf(new PushedImage(index.reference(), manifest.digest())));
        }
        return new RawRegistry.IndexSignatureUpload(index.reference().repository(), index.reference().tagOrDefault(), index.index().digest(),
                listed, signatureOf(new PushedImage(index.reference(), index.index().digest())));
    }

    /** The bodies of a first cosign signature of {@code image}, signed with the benchmark key (setup, not measured). */
    RawRegistry.SignatureUpload signatureOf(PushedImage image) throws KeyException {
        byte[] payload = SimpleSigningPayload.create(image.reference(), image.digest(), Map.of());
        Digest payloadDigest = Digest.sha256(payload);
        SignatureManifest manifest = SignatureManifest.empty().withSignature(payloadDigest, payload.length, signer.sign(payload));
        byte[] config = manifest.configBlob();
        Digest configDigest = Digest.sha256(config);
        return new RawRegistry.SignatureUpload(image.reference().repository(), image.reference().tagOrDefault(),
                image.digest().signatureTag(), payload, payloadDigest, config, configDigest,
                manifest.toBytes(configDigest, config.length));
    }

    /** {@code count} new images, each with one valid signature by the benchmark key, stored by the raw client. */
    List<RawRegistry.SignatureRead> pushSignedImages(String purpose, int count) throws Exception {
        return inParallel(pushImages(purpose, count), image -> {
            RawRegistry.SignatureUpload upload = signatureOf(image);
            raw.sign(upload);
            return new RawRegistry.SignatureRead(upload.repository(), upload.tag(), upload.signatureTag(), upload.payloadDigest());
        });
    }

    /** A reference to the image a {@link RawRegistry.SignatureRead} describes, as a user would write it. */
    ImageReference referenceOf(RawRegistry.SignatureRead read) {
        return ImageReference.parse(registry.host() + "/" + read.repository() + ":" + read.tag());
    }

    String registryHost() {
        return registry.host();
    }

    @Override
    public void close() {
        signer.close();
        registry.stop();
    }

    /** An image pushed for the benchmark: its tagged reference and manifest digest. */
    record PushedImage(ImageReference reference, Digest digest) {
    }

    /** An image index pushed for the benchmark: its tag, its descriptor and those of the manifests it lists. */
    record PushedIndex(ImageReference reference, Descriptor index, List<Descriptor> listed) {
    }

    interface Step<T, R> {
        R apply(T input) throws Exception;
    }

    private static <T, R> List<R> inParallel(List<T> inputs, Step<T, R> step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T input : inputs) {
                futures.add(pool.submit(() -> step.apply(input)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
