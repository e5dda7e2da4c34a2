package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.time.Instant;
import java.util.List;

/**
 * Benchmark 9: {@code ImageVerifier.verify} of keyless-signed images (a legacy {@code .sig} layer carrying a Fulcio
 * certificate, its chain and a Rekor SET, made by a test Sigstore) against the same verify of key-signed images (one
 * {@code .sig} signature each), in process on a warm JVM, distinct images per iteration. Both read the same
 * registry requests; the difference is the keyless checks (certificate chain, SCT, SET, identity).
 */
final class KeylessVerifyBenchmark {
    static final String WORKFLOW = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";

    private final BenchEnvironment env;
    private final BenchConfig config;

    KeylessVerifyBenchmark(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    Result run() throws Exception {
        int runs = config.warmup() + config.iterations();
        List<RawRegistry.SignatureRead> keyed = env.pushSignedImages("keyless-baseline", runs);
        List<BenchEnvironment.PushedImage> keyless = env.pushImages("keyless-ours", runs);
        // One throw-away Sigstore signs every keyless image, so one trusted root and one identity verify them all.
        KeylessImages.Signing signing = new KeylessImages.Signing(env.client(), Instant.now(), KeylessImages.Layout.LEGACY);
        for (BenchEnvironment.PushedImage image : keyless) {
            signing.push(image.reference(), image.digest());
        }
        TrustedIdentity identity = TrustedIdentity.builder("release", new SignerPolicy.CertificateIdentity(
                SignerPolicy.Matcher.exact(WORKFLOW), SignerPolicy.Matcher.exact(TestSigstore.GITHUB_ISSUER)), "bench", signing.root()).build();
        ImageVerifier keyedVerifier = ImageVerifier.builder().registry(env.client()).policy(env.policy()).build();
        ImageVerifier keylessVerifier = ImageVerifier.builder().registry(env.client()).policy(TrustPolicy.builder().identity(identity).build())
                .build();
        Samples baseline = new Samples(config.iterations());
        Samples ours = new Samples(config.iterations());
        int errors = 0;
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.warmup();
            Runnable keyedStep = LatencyBenchmarks.timed(measured ? baseline : null, keyed.get(i),
                    read -> trusted(keyedVerifier.verify(env.referenceOf(read))));
            Runnable keylessStep = LatencyBenchmarks.timed(measured ? ours : null, keyless.get(i),
                    image -> trusted(keylessVerifier.verify(image.reference())));
            errors += LatencyBenchmarks.alternate(i, keyedStep, keylessStep);
        }
        return Result.of("9. keyless verify vs keyed verify (.sig, in-process, warm)", "ms", baseline, ours, Goal.atMost(1.5), errors,
                "keyless: P-256 Fulcio leaf, P-384 CA chain, SCT, Rekor SET, identity; keyed: one P-256 key");
    }

    private static void trusted(VerificationReport report) {
        if (!report.trusted()) {
            throw new IllegalStateException("not trusted: " + report.summary());
        }
    }
}
