package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 3: verify every one of many distinct signed images on a fixed pool sharing one {@code RegistryClient},
 * against the same three raw requests per image at the same concurrency. Figures are throughputs (images per
 * second) per round; rounds alternate baseline and ours. While ours runs, heap use is sampled and its maximum kept.
 */
final class BulkVerifyBenchmark {
    private static final long HEAP_SAMPLE_MILLIS = 5;

    private final BenchEnvironment env;
    private final BenchConfig config;

    BulkVerifyBenchmark(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    Result run() throws Exception {
        List<RawRegistry.SignatureRead> images = env.pushSignedImages("bulk", config.bulkImages());
        ImageVerifier verifier = ImageVerifier.builder().registry(env.client()).policy(env.policy()).build();
        LatencyBenchmarks.Operation<RawRegistry.SignatureRead> ours = read -> {
            VerificationReport report = verifier.verify(env.referenceOf(read));
            if (!report.trusted()) {
                throw new IllegalStateException("not trusted: " + report.summary());
            }
        };
        LatencyBenchmarks.Operation<RawRegistry.SignatureRead> raw = env.raw()::verify;
        Samples baseline = new Samples(config.bulkRounds());
        Samples oursSamples = new Samples(config.bulkRounds());
        AtomicInteger errors = new AtomicInteger();
        HeapSampler heap = new HeapSampler();
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
        try {
            // one warm-up round each: the pool's threads, both clients' connections, the JIT
            throughput(pool, images, raw, errors);
            throughput(pool, images, ours, errors);
            for (int round = 0; round < config.bulkRounds(); round++) {
                if (round % 2 == 0) {
                    baseline.add(throughput(pool, images, raw, errors));
                    oursSamples.add(heap.during(() -> throughput(pool, images, ours, errors)));
                } else {
                    oursSamples.add(heap.during(() -> throughput(pool, images, ours, errors)));
                    baseline.add(throughput(pool, images, raw, errors));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String note = String.format(Locale.ROOT, "%d images × %d rounds at concurrency %d; max heap used %.1f MiB; errors %d",
                images.size(), config.bulkRounds(), config.concurrency(), heap.maxUsed() / (1024.0 * 1024.0), errors.get());
        return Result.of("3. bulk verify throughput", "images/s", baseline, oursSamples, Goal.atLeast(0.7), errors.get(), note);
    }

    /** Images per second for one pass over {@code images}; failures are counted into {@code errors}. */
    private static double throughput(ExecutorService pool, List<RawRegistry.SignatureRead> images,
            LatencyBenchmarks.Operation<RawRegistry.SignatureRead> operation, AtomicInteger errors) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>(images.size());
        for (RawRegistry.SignatureRead image : images) {
            futures.add(pool.submit(() -> {
                try {
                    operation.run(image);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("bench: error: " + e.getMessage());
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        return images.size() / ((System.nanoTime() - start) / 1e9);
    }

    interface Measured {
        double run() throws Exception;
    }

    /** Samples the heap in use every few milliseconds while a measured pass runs; keeps the maximum seen. */
    private static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong maxUsed = new AtomicLong();

        double during(Measured measured) throws Exception {
            var sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "bench-heap-sampler");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(this::sample, 0, HEAP_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            try {
                return measured.run();
            } finally {
                sampler.shutdownNow();
                sample();
            }
        }

        private void sample() {
            maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }

        long maxUsed() {
            return maxUsed.get();
        }
    }
}
