package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrersIndex;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Benchmark 8 (issue 13): {@value #SIGNERS} signers that share nothing but the registry (each an
 * {@link IsolatedSigner} in a class loader of its own: own engine classes and tag locks, own client, own key) sign one
 * fresh image at the same moment, in both formats; the time until all of them returned (each confirmed its entries),
 * against {@value #SIGNERS} signs of a fresh image one after another by one signer (one client, the {@value #SIGNERS}
 * keys in turn). After the run every image must hold all {@value #SIGNERS} entries in both tags; a missing one counts
 * as an error. A tenth of the configured iterations (each runs {@value #SIGNERS} signs twice).
 */
final class ConcurrentSignersBenchmark {
    static final int SIGNERS = 8;

    private final BenchEnvironment env;
    private final BenchConfig config;

    ConcurrentSignersBenchmark(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    Result run() throws Exception {
        int warmup = Math.max(1, config.warmup() / 10);
        int iterations = Math.max(1, config.iterations() / 10);
        int runs = warmup + iterations;
        List<BenchEnvironment.PushedImage> concurrentImages = env.pushImages("concurrent-ours", runs);
        List<BenchEnvironment.PushedImage> sequentialImages = env.pushImages("concurrent-sequential", runs);
        List<InMemorySigner> keys = new ArrayList<>();
        List<ImageSigner> sequential = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        List<Function<String, String>> isolated = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SIGNERS);
        try {
            for (int i = 0; i < SIGNERS; i++) {
                InMemorySigner key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
                keys.add(key);
                sequential.add(ImageSigner.builder().registry(env.client()).signer(key).build());
                URLClassLoader loader = new URLClassLoader("image-trust-signer-" + i, classPath(), ClassLoader.getPlatformClassLoader());
                loaders.add(loader);
                @SuppressWarnings("unchecked")
                Function<String, String> signer = (Function<String, String>) loader.loadClass(IsolatedSigner.class.getName())
                        .getConstructor().newInstance();
                isolated.add(signer);
            }
            Samples baseline = new Samples(iterations);
            Samples ours = new Samples(iterations);
            int errors = 0;
            for (int i = 0; i < runs; i++) {
                boolean measured = i >= warmup;
                Runnable oneAfterAnother = LatencyBenchmarks.timed(measured ? baseline : null, sequentialImages.get(i), image -> {
                    for (ImageSigner signer : sequential) {
                        SignResult result = signer.sign(SignRequest.builder(image.reference()).build());
                        if (result.alreadyPresent()) {
                            throw new IllegalStateException("a sequential sign of " + image.reference() + " was a no-op");
                        }
                    }
                });
                Runnable together = LatencyBenchmarks.timed(measured ? ours : null, concurrentImages.get(i), image -> {
                    CyclicBarrier start = new CyclicBarrier(SIGNERS);
                    List<Callable<String>> signs = new ArrayList<>();
                    for (Function<String, String> signer : isolated) {
                        signs.add(() -> {
                            start.await();
                            return signer.apply(image.reference().toString());
                        });
                    }
                    for (Future<String> sign : pool.invokeAll(signs)) {
                        sign.get();
                    }
                });
                errors += LatencyBenchmarks.alternate(i, oneAfterAnother, together);
            }
            for (BenchEnvironment.PushedImage image : concurrentImages) {
                errors += missingEntries(image);
            }
            return Result.of("8. " + SIGNERS + " concurrent signers (separate clients and locks, both formats) vs " + SIGNERS + " sequential signs",
                    "ms", baseline, ours, Goal.atMost(1.5), errors, iterations + " rounds; every image checked for all " + SIGNERS
                            + " entries in the .sig tag and the fallback tag");
        } finally {
            pool.shutdownNow();
            keys.forEach(InMemorySigner::close);
            for (URLClassLoader loader : loaders) {
                loader.close();
            }
        }
    }

    /** How many of the {@value #SIGNERS} entries each tag of {@code image} lacks (a lost signature is an error). */
    private int missingEntries(BenchEnvironment.PushedImage image) throws Exception {
        RegistryClient client = env.client();
        var repository = image.reference().repositoryOnly();
        Manifest sig = client.fetchManifest(repository, image.digest().signatureTag()).orElse(null);
        int legacy = sig == null ? 0 : SignatureManifest.parse(sig.bytes()).layers().size();
        Manifest fallback = client.fetchManifest(repository, RegistryClient.referrersFallbackTag(image.digest())).orElse(null);
        int bundles = fallback == null ? 0 : ReferrersIndex.parse(fallback.bytes()).entries().size();
        int missing = Math.max(0, SIGNERS - legacy) + Math.max(0, SIGNERS - bundles);
        if (missing > 0) {
            System.err.println("bench: error: " + image.reference() + " holds " + legacy + " .sig entries and " + bundles + " bundle entries, not "
                    + SIGNERS + " each");
        }
        return missing;
    }

    /** The class path this JVM runs with (the bench jar, or the module's classes and dependencies under Maven). */
    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
