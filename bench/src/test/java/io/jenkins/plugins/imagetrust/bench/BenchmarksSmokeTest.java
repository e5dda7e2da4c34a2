package io.jenkins.plugins.imagetrust.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every benchmark with tiny counts against a real docker-registry: a broken benchmark fails the build. The goals
 * themselves are not asserted (a handful of iterations on a shared machine proves nothing about them).
 */
class BenchmarksSmokeTest {

    @Test
    @Timeout(60)
    void everyBenchmarkRunsWithoutErrorsAndYieldsFiniteRatios() throws Exception {
        RequiredBinaries.require("docker-registry");
        BenchConfig smoke = BenchConfig.smoke(BenchConfig.findProjectRoot());
        Set<String> allButTrust = new HashSet<>(BenchConfig.NAMES);
        allButTrust.remove("trust"); // its own test below, so its cost shows
        allButTrust.remove("concurrent"); // likewise
        BenchConfig config = new BenchConfig(smoke.warmup(), smoke.iterations(), smoke.bulkImages(), smoke.bulkRounds(), smoke.concurrency(),
                smoke.cliWarmup(), smoke.cliIterations(), smoke.trustIterations(), smoke.projectRoot(), allButTrust);

        List<Result> results = Benchmarks.run(config);

        assertThat(results).extracting(Result::name).anyMatch(name -> name.startsWith("1. sign"))
                .anyMatch(name -> name.startsWith("2. verify")).anyMatch(name -> name.startsWith("3. bulk verify"))
                .anyMatch(name -> name.startsWith("1c. sign vs the floor")).anyMatch(name -> name.startsWith("6. sign an index"))
                .anyMatch(name -> name.startsWith("6c. sign an index"));
        if (RequiredBinaries.isCi()) {
            assertThat(results).extracting(Result::name).anyMatch(name -> name.startsWith("4a. CLI"))
                    .anyMatch(name -> name.startsWith("4b. CLI"));
        }
        assertNoErrorsAndFiniteRatios(results);
    }

    @Test
    @Timeout(120)
    void trustSignBenchmarkRunsAgainstDockerAndNotary() throws Exception {
        RequiredBinaries.require("docker-registry");
        TrustSignBenchmark.BINARIES.forEach(RequiredBinaries::require);
        RequiredBinaries.requireRoot("dockerd");
        BenchConfig smoke = BenchConfig.smoke(BenchConfig.findProjectRoot());
        BenchConfig config = new BenchConfig(smoke.warmup(), smoke.iterations(), smoke.bulkImages(), smoke.bulkRounds(), smoke.concurrency(),
                smoke.cliWarmup(), smoke.cliIterations(), smoke.trustIterations(), smoke.projectRoot(), Set.of("trust"));

        List<Result> results = Benchmarks.run(config);

        assertThat(results).extracting(Result::name).anyMatch(name -> name.startsWith("5a. sign + Notary"));
        if (RequiredBinaries.isCi()) {
            assertThat(results).extracting(Result::name).anyMatch(name -> name.startsWith("5b. CLI notary publish"));
            assertThat(results).extracting(Result::name).anyMatch(name -> name.startsWith("5c. JVM start + the cosign key's scrypt"));
        }
        assertNoErrorsAndFiniteRatios(results);
    }

    @Test
    @Timeout(120)
    void concurrentSignersBenchmarkRunsAndLosesNoSignature() throws Exception {
        RequiredBinaries.require("docker-registry");
        BenchConfig smoke = BenchConfig.smoke(BenchConfig.findProjectRoot());
        BenchConfig config = new BenchConfig(smoke.warmup(), smoke.iterations(), smoke.bulkImages(), smoke.bulkRounds(), smoke.concurrency(),
                smoke.cliWarmup(), smoke.cliIterations(), smoke.trustIterations(), smoke.projectRoot(), Set.of("concurrent"));

        List<Result> results = Benchmarks.run(config);

        // errors include every entry missing from an image's .sig or fallback tag after its concurrent round
        assertThat(results).extracting(Result::name).singleElement().asString().startsWith("8. 8 concurrent signers");
        assertNoErrorsAndFiniteRatios(results);
    }

    private static void assertNoErrorsAndFiniteRatios(List<Result> results) {
        for (Result result : results) {
            assertThat(result.errors()).as(result.name() + " errors").isZero();
            assertThat(result.ratio()).as(result.name() + " ratio").isFinite().isPositive();
            assertThat(result.p90Ratio()).as(result.name() + " p90 ratio").isFinite().isPositive();
        }
    }

    @Test
    void percentilesAreNearestRank() {
        Samples samples = new Samples(10);
        for (int i = 10; i >= 1; i--) {
            samples.add(i);
        }
        assertThat(samples.median()).isEqualTo(5.0);
        assertThat(samples.p90()).isEqualTo(9.0);
        assertThat(new Samples(1).median()).isNaN();
    }

    @Test
    void goalsBoundTheRatioAndNaNNeverPasses() {
        assertThat(Goal.atMost(1.5).metBy(1.5)).isTrue();
        assertThat(Goal.atMost(1.5).metBy(1.6)).isFalse();
        assertThat(Goal.atLeast(0.7).metBy(0.69)).isFalse();
        assertThat(Goal.atLeast(0.7).metBy(Double.NaN)).isFalse();
        assertThat(Goal.none().metBy(42.0)).isTrue();
        assertThat(Goal.none().metBy(Double.NaN)).isFalse();
        assertThat(Goal.none().metBy(Double.POSITIVE_INFINITY)).isFalse();
    }
}
