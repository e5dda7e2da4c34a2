package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.cosign.PendingWrite;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmarks 1, 1c and 2: one {@code ImageSigner.sign} and one {@code ImageVerifier.verify}, in process on a warm JVM,
 * each against the raw requests it needs. Baseline and ours alternate (which goes first flips every iteration), so
 * drift in the machine's load falls on both alike.
 */
final class LatencyBenchmarks {
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final BenchEnvironment env;
    private final BenchConfig config;

    LatencyBenchmarks(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    /**
     * Signs a fresh image per iteration (N distinct images pushed first), against two floors, each storing a fresh
     * raw signature per iteration: benchmark 1's 11 requests, and 1c's, which add the confirmation issue 13 requires
     * (a HEAD before the PUT, the minimum settle delay, a confirming HEAD). The three sides rotate.
     */
    List<Result> sign() throws Exception {
        int runs = config.warmup() + config.iterations();
        List<BenchEnvironment.PushedImage> oursImages = env.pushImages("sign-ours", runs);
        List<RawRegistry.SignatureUpload> uploads = uploads("sign-raw", runs);
        List<RawRegistry.SignatureUpload> confirmedUploads = uploads("sign-raw-confirmed", runs);
        ImageSigner signer = ImageSigner.builder().registry(env.client()).signer(env.signer()).build();
        Samples baseline = new Samples(config.iterations());
        Samples confirmedBaseline = new Samples(config.iterations());
        Samples ours = new Samples(config.iterations());
        int errors = 0;
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.warmup();
            Runnable raw = timed(measured ? baseline : null, uploads.get(i), env.raw()::sign);
            Runnable rawConfirmed = timed(measured ? confirmedBaseline : null, confirmedUploads.get(i),
                    upload -> env.raw().signConfirmed(upload, PendingWrite.MIN_SETTLE));
            BenchEnvironment.PushedImage image = oursImages.get(i);
            Runnable sign = timed(measured ? ours : null, image, pushed -> {
                // The legacy .sig alone: the format the 11 raw requests write.
                SignResult result = signer.sign(SignRequest.builder(pushed.reference())
                        .signatureFormat(SignatureFormat.LEGACY).build());
                if (result.alreadyPresent() || !result.digest().equals(pushed.digest())) {
                    throw new IllegalStateException("signing " + pushed.reference() + " was a no-op or signed another digest");
                }
            });
            errors += rotate(i, raw, rawConfirmed, sign);
        }
        return List.of(
                Result.of("1. sign (cosign .sig, in-process, warm)", "ms", baseline, ours, Goal.atMost(1.5), errors,
                        "raw: 11 requests (HEAD, GET .sig, 2×(HEAD+POST+PUT blob), PUT, GET)"),
                Result.of("1c. sign vs the floor with issue 13's confirmation", "ms", confirmedBaseline, ours, Goal.atMost(1.5), errors,
                        "raw: the 11 + HEAD .sig before the PUT, " + PendingWrite.MIN_SETTLE.toMillis() + " ms settle, confirming HEAD"));
    }

    private List<RawRegistry.SignatureUpload> uploads(String purpose, int count) throws Exception {
        List<RawRegistry.SignatureUpload> uploads = new ArrayList<>();
        for (BenchEnvironment.PushedImage image : env.pushImages(purpose, count)) {
            uploads.add(env.signatureOf(image));
        }
        return uploads;
    }

    /** Verifies distinct signed images (one .sig signature each), against the 5 requests of {@link RawRegistry#verify}. */
    Result verify() throws Exception {
        int runs = config.warmup() + config.iterations();
        List<RawRegistry.SignatureRead> images = env.pushSignedImages("verify", runs);
        ImageVerifier verifier = ImageVerifier.builder().registry(env.client()).policy(env.policy()).build();
        Samples baseline = new Samples(config.iterations());
        Samples ours = new Samples(config.iterations());
        int errors = 0;
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.warmup();
            RawRegistry.SignatureRead image = images.get(i);
            Runnable raw = timed(measured ? baseline : null, image, env.raw()::verify);
            Runnable verify = timed(measured ? ours : null, image, read -> {
                VerificationReport report = verifier.verify(env.referenceOf(read));
                if (!report.trusted()) {
                    throw new IllegalStateException("not trusted: " + report.summary());
                }
            });
            errors += alternate(i, raw, verify);
        }
        return Result.of("2. verify (.sig + bundle lookup, in-process, warm)", "ms", baseline, ours, Goal.atMost(1.3), errors,
                "raw: 5 requests (HEAD, GET .sig, GET payload, GET referrers 404, GET fallback tag 404)");
    }

    interface Operation<T> {
        void run(T input) throws Exception;
    }

    /** A step that times {@code operation} into {@code samples} (null: a warm-up, not recorded). */
    static <T> Runnable timed(Samples samples, T input, Operation<T> operation) {
        return () -> {
            long start = System.nanoTime();
            try {
                operation.run(input);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            long elapsed = System.nanoTime() - start;
            if (samples != null) {
                samples.add(elapsed / NANOS_PER_MILLI);
            }
        };
    }

    /** Runs both steps, the baseline first on even iterations; the number of steps that failed. */
    static int alternate(int iteration, Runnable baseline, Runnable ours) {
        return rotate(iteration, baseline, ours);
    }

    /** Runs every step, starting with step {@code iteration} mod their number; the number of steps that failed. */
    static int rotate(int iteration, Runnable... steps) {
        int failed = 0;
        for (int k = 0; k < steps.length; k++) {
            failed += attempt(steps[(iteration + k) % steps.length]);
        }
        return failed;
    }

    static int attempt(Runnable step) {
        try {
            step.run();
            return 0;
        } catch (RuntimeException e) {
            System.err.println("bench: error: " + e.getMessage());
            return 1;
        }
    }
}
