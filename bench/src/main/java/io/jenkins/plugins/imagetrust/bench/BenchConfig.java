package io.jenkins.plugins.imagetrust.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * How much to run. {@link #full} is the real run; {@link #smoke} the tiny one the build's smoke test runs.
 *
 * @param cliWarmup discarded rounds before the measured ones in the process benchmarks (4 and 5)
 * @param trustIterations measured rounds of benchmark 5 ({@code docker trust sign} vs ours)
 * @param projectRoot the checkout, holding {@code bin/image-trust} and {@code cli/target/image-trust.jar}
 */
public record BenchConfig(int warmup, int iterations, int bulkImages, int bulkRounds, int concurrency, int cliWarmup,
        int cliIterations, int trustIterations, Path projectRoot, Set<String> only) {
    /** The benchmarks by name, for {@code --only}. */
    public static final Set<String> NAMES = Set.of("sign", "verify", "bulk", "cli", "trust", "index", "concurrent", "provenance",
            "keyless");

    public BenchConfig {
        positive(iterations, "iterations");
        positive(bulkImages, "bulk images");
        positive(bulkRounds, "bulk rounds");
        positive(concurrency, "concurrency");
        positive(cliIterations, "CLI iterations");
        positive(trustIterations, "trust iterations");
        only = Set.copyOf(only);
        if (!NAMES.containsAll(only)) {
            throw new IllegalArgumentException("unknown benchmark in " + only + "; the names are " + NAMES);
        }
        if (warmup < 0 || cliWarmup < 0) {
            throw new IllegalArgumentException("warm-up counts must not be negative");
        }
    }

    public static BenchConfig full(Path projectRoot) {
        return new BenchConfig(100, 200, 500, 5, 16, 2, 20, 20, projectRoot, NAMES);
    }

    public static BenchConfig smoke(Path projectRoot) {
        return new BenchConfig(2, 3, 10, 1, 16, 0, 3, 2, projectRoot, NAMES);
    }

    /** Whether the benchmark named {@code name} (one of {@link #NAMES}) runs. */
    public boolean runs(String name) {
        return only.contains(name);
    }

    /** The checkout around the working directory: the nearest folder upwards holding {@code bin/image-trust}. */
    public static Path findProjectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin").resolve("image-trust"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
