package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bulk verify of 500 signed images at concurrency 16 against the real docker-registry: no errors, every image
 * trusted, and bounded memory (heap used sampled every 10 ms; the peak is printed and must stay under 512 MiB).
 */
class BulkVerifyLoadTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final int IMAGES = 500;
    private static final int CONCURRENCY = 16;
    private static final long HEAP_BOUND_BYTES = 512L * 1024 * 1024;

    private static <T> List<T> runAll(ExecutorService pool, List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : pool.invokeAll(tasks, 5, TimeUnit.MINUTES)) {
            results.add(future.get()); // any task's exception fails the test here
        }
        return results;
    }

    @Test
    void fiveHundredSignedImagesVerifyAtConcurrencySixteen() throws Exception {
        RegistryClient registry = RegistryClient.builder().build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageSigner imageSigner = ImageSigner.builder().registry(registry).signer(signer).build();
            List<Callable<ImageReference>> setup = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                ImageReference image = REGISTRY.reference("bulk/app" + (i % 25) + ":v" + i);
                setup.add(() -> {
                    Digest digest = TestImages.push(registry, image);
                    imageSigner.sign(SignRequest.builder(image).expectedDigest(digest).build());
                    return image;
                });
            }
            long setupStarted = System.nanoTime();
            List<ImageReference> images = runAll(pool, setup);
            Duration setupTook = Duration.ofNanos(System.nanoTime() - setupStarted);

            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("bulk", signer.publicKey()).build()).build();
            ImageVerifier verifier = ImageVerifier.builder().registry(registry).policy(policy).build();
            List<Callable<VerificationReport>> verifications = new ArrayList<>();
            images.forEach(image -> verifications.add(() -> verifier.verify(image)));

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong(baseline);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long started = System.nanoTime();
            List<VerificationReport> reports;
            try {
                reports = runAll(pool, verifications);
            } finally {
                sampling.set(false);
                sampler.join();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            long trusted = reports.stream().filter(VerificationReport::trusted).count();
            System.out.printf("bulk verify: %d images, concurrency %d, setup (push + sign) %d ms, verify %d ms, trusted %d, "
                    + "heap used before %d MiB, peak %d MiB, max heap %d MiB%n", IMAGES, CONCURRENCY, setupTook.toMillis(), took.toMillis(),
                    trusted, baseline >> 20, peak.get() >> 20, memory.getHeapMemoryUsage().getMax() >> 20);
            assertThat(reports).hasSize(IMAGES);
            assertThat(trusted).isEqualTo(IMAGES);
            // Signed in both formats (the default): one key, counted once; its second signature is the same key's.
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.signatures()).extracting(SignatureCheck::format).containsExactly(SignatureFormat.LEGACY, SignatureFormat.BUNDLE);
                assertThat(r.signatures()).filteredOn(SignatureCheck::counted).singleElement();
            });
            assertThat(peak.get()).isLessThan(HEAP_BOUND_BYTES);
            assertThat(took).isLessThan(Duration.ofSeconds(60));
        } finally {
            pool.shutdownNow();
        }
    }
}
