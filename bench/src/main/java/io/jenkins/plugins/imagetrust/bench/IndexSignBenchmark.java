package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.cosign.PendingWrite;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark 6: {@code ImageSigner.sign} on an image index of {@value #PLATFORMS} platforms, which signs the index and
 * each platform manifest ({@link ImageSigner#DEFAULT_CONCURRENCY} at a time), against the raw requests that needs issued
 * with the same concurrency ({@link RawRegistry#signIndex}). A fresh index per iteration; baseline and ours alternate.
 */
final class IndexSignBenchmark {
    static final int PLATFORMS = 4;
    private static final String[][] ARCHITECTURES = {{"amd64", null}, {"arm64", "v8"}, {"arm", "v7"}, {"ppc64le", null}};

    private final BenchEnvironment env;
    private final BenchConfig config;

    IndexSignBenchmark(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    /** Rows 6 and 6c: the same signs against two floors (without and with issue 13's confirmation); the three sides rotate. */
    List<Result> run() throws Exception {
        int runs = config.warmup() + config.iterations();
        List<BenchEnvironment.PushedIndex> oursIndexes = env.pushIndexes("index-ours", runs, ARCHITECTURES);
        List<RawRegistry.IndexSignatureUpload> uploads = uploads("index-raw", runs);
        List<RawRegistry.IndexSignatureUpload> confirmedUploads = uploads("index-raw-confirmed", runs);
        ImageSigner signer = ImageSigner.builder().registry(env.client()).signer(env.signer()).build();
        ExecutorService rawPool = Executors.newFixedThreadPool(ImageSigner.DEFAULT_CONCURRENCY);
        try {
            Samples baseline = new Samples(config.iterations());
            Samples confirmedBaseline = new Samples(config.iterations());
            Samples ours = new Samples(config.iterations());
            int errors = 0;
            for (int i = 0; i < runs; i++) {
                boolean measured = i >= config.warmup();
                Runnable raw = LatencyBenchmarks.timed(measured ? baseline : null, uploads.get(i), upload -> env.raw().signIndex(upload, rawPool));
                Runnable rawConfirmed = LatencyBenchmarks.timed(measured ? confirmedBaseline : null, confirmedUploads.get(i),
                        upload -> env.raw().signIndexConfirmed(upload, rawPool, PendingWrite.MIN_SETTLE));
                Runnable sign = LatencyBenchmarks.timed(measured ? ours : null, oursIndexes.get(i), pushed -> {
                    // The legacy .sig alone, the format the raw requests write (as benchmark 1).
                    SignResult result = signer.sign(SignRequest.builder(pushed.reference()).signatureFormat(SignatureFormat.LEGACY).build());
                    if (result.alreadyPresent() || !result.digest().equals(pushed.index().digest()) || result.manifests().size() != PLATFORMS
                            || result.manifests().stream().anyMatch(m -> m.alreadyPresent())) {
                        throw new IllegalStateException("signing " + pushed.reference() + " was a no-op or missed a platform");
                    }
                });
                errors += LatencyBenchmarks.rotate(i, raw, rawConfirmed, sign);
            }
            return List.of(
                    Result.of("6. sign an index of " + PLATFORMS + " platforms (cosign .sig, in-process, warm)", "ms", baseline, ours,
                            Goal.atMost(1.5), errors, "raw: HEAD + GET index, then 9 requests per signature, " + ImageSigner.DEFAULT_CONCURRENCY
                                    + " platforms at a time, then the index's 9"),
                    Result.of("6c. sign an index vs the floor with issue 13's confirmation", "ms", confirmedBaseline, ours, Goal.atMost(1.5),
                            errors, "raw: as 6 + HEAD .sig before each PUT, one " + PendingWrite.MIN_SETTLE.toMillis()
                                    + " ms settle, the 5 confirming HEADs " + ImageSigner.DEFAULT_CONCURRENCY + " at a time"));
        } finally {
            rawPool.shutdownNow();
        }
    }

    private List<RawRegistry.IndexSignatureUpload> uploads(String purpose, int count) throws Exception {
        List<RawRegistry.IndexSignatureUpload> uploads = new ArrayList<>();
        for (BenchEnvironment.PushedIndex index : env.pushIndexes(purpose, count, ARCHITECTURES)) {
            uploads.add(env.signatureOf(index));
        }
        return uploads;
    }
}
