package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import io.jenkins.plugins.imagetrust.engine.provenance.SourceRevision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark 7 (issue 16): {@code ImageSigner.sign} with the SLSA v1 provenance of a Jenkins build (what
 * {@code signImage} publishes by default) against the same sign without it, both formats, in-process, warm. The
 * attestation adds one DSSE signature and, per format, one more tag or referrer write that settles with the signature's
 * (one settle delay for both). A fresh image per iteration; the two sides alternate.
 */
final class ProvenanceSignBenchmark {
    private final BenchEnvironment env;
    private final BenchConfig config;

    ProvenanceSignBenchmark(BenchEnvironment env, BenchConfig config) {
        this.env = env;
        this.config = config;
    }

    /** A provenance predicate as a Pipeline build with a git revision and a few parameters makes it. */
    static Predicate provenance() {
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        JenkinsBuild build = new JenkinsBuild("https://ci.example/job/team/job/app/", "https://ci.example/job/team/job/app/42/", "team/app", now,
                now.plusSeconds(95), Optional.of(new SourceRevision("https://git.example/team/app.git", Optional.of("refs/heads/main"),
                        "0123456789abcdef0123456789abcdef01234567")),
                Map.of("CHANNEL", "stable", "REGION", "eu-west-1"), "2.541.3", "1.0.0", List.of());
        return new Predicate(PredicateTypes.SLSA_PROVENANCE_V1, SlsaProvenance.predicate(build));
    }

    Result run() throws Exception {
        int runs = config.warmup() + config.iterations();
        List<BenchEnvironment.PushedImage> plain = env.pushImages("sign-plain", runs);
        List<BenchEnvironment.PushedImage> attested = env.pushImages("sign-provenance", runs);
        ImageSigner signer = ImageSigner.builder().registry(env.client()).signer(env.signer()).build();
        List<Predicate> predicates = List.of(provenance());
        Samples baseline = new Samples(config.iterations());
        Samples ours = new Samples(config.iterations());
        int errors = 0;
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.warmup();
            Runnable without = LatencyBenchmarks.timed(measured ? baseline : null, plain.get(i), pushed -> check(
                    signer.sign(SignRequest.builder(pushed.reference()).build()), 0));
            Runnable with = LatencyBenchmarks.timed(measured ? ours : null, attested.get(i), pushed -> check(
                    signer.sign(SignRequest.builder(pushed.reference()).attestations(predicates).build()), 2));
            errors += LatencyBenchmarks.rotate(i, without, with);
        }
        return Result.of("7. sign with SLSA provenance vs sign without (both formats, in-process, warm)", "ms", baseline, ours, Goal.atMost(1.3),
                errors, "baseline: the same ImageSigner.sign without attestations; both write .sig and a bundle referrer");
    }

    private static void check(SignResult result, int attestations) {
        if (result.alreadyPresent() || result.attestations().size() != attestations) {
            throw new IllegalStateException("signing " + result.image() + " was a no-op or wrote " + result.attestations().size() + " attestations");
        }
    }
}
