package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 4: {@code bin/image-trust verify --key … IMAGE} as a whole process, against a bare JVM start of the same
 * jar running {@code io.jenkins.plugins.imagetrust.cli.NoOp} with the launcher's JVM options. Measured with the
 * archive the launcher writes on first use (a class-data-sharing archive, or an AOT cache on JDK 25 and later), and
 * without it ({@code IMAGE_TRUST_NO_CDS=1}).
 */
final class CliStartupBenchmark {
    private final BenchEnvironment env;
    private final BenchConfig config;
    private final CliLauncher cli;
    private final Path workDir;

    CliStartupBenchmark(BenchEnvironment env, BenchConfig config, Path workDir) {
        this.env = env;
        this.config = config;
        this.cli = new CliLauncher(config, workDir);
        this.workDir = workDir;
    }

    /** Why the benchmark cannot run here, or null when it can. */
    String unavailableReason() {
        return cli.unavailableReason();
    }

    /** Two results: with the launcher's start-up archive, and without. */
    List<Result> run() throws Exception {
        RawRegistry.SignatureRead image = env.pushSignedImages("cli", 1).get(0);
        Path publicKey = workDir.resolve("bench.pub");
        Files.writeString(publicKey, PublicKeys.toPem(env.keyPair().getPublic()), StandardCharsets.US_ASCII);
        String javaBinary = CliLauncher.javaCommand();
        List<String> noOp = List.of(javaBinary, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cli.jar().toString(),
                "io.jenkins.plugins.imagetrust.cli.NoOp");
        List<String> verify = cli.command("verify", "--key", publicKey.toString(), env.referenceOf(image).toString());
        prepareCdsArchive(verify);

        Samples baseline = new Samples(config.cliIterations());
        Samples withCds = new Samples(config.cliIterations());
        Samples withoutCds = new Samples(config.cliIterations());
        int[] errors = new int[3];
        int runs = config.cliWarmup() + config.cliIterations();
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.cliWarmup();
            List<Runnable> steps = new ArrayList<>(List.of(
                    () -> cli.time(measured ? baseline : null, noOp, Map.of()),
                    () -> cli.time(measured ? withCds : null, verify, Map.of()),
                    () -> cli.time(measured ? withoutCds : null, verify, Map.of("IMAGE_TRUST_NO_CDS", "1"))));
            Collections.rotate(steps, i); // each goes first in turn
            for (int step = 0; step < steps.size(); step++) {
                errors[Math.floorMod(step - i, steps.size())] += LatencyBenchmarks.attempt(steps.get(step));
            }
        }
        String note = "bare JVM: java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp image-trust.jar …NoOp";
        return List.of(
                Result.of("4a. CLI verify process, start-up archive", "ms", baseline, withCds, Goal.atMost(2.0), errors[0] + errors[1], note),
                Result.of("4b. CLI verify process, IMAGE_TRUST_NO_CDS=1", "ms", baseline, withoutCds, Goal.atMost(2.0), errors[0] + errors[2], note));
    }

    /**
     * Leaves the archive a first {@code verify} writes: any earlier one (perhaps from an older jar) is removed first.
     */
    private void prepareCdsArchive(List<String> verify) throws IOException {
        Path archive = cli.startupArchive("verify");
        Files.deleteIfExists(archive);
        cli.time(null, verify, Map.of());
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the launcher wrote no start-up archive at " + archive);
        }
        System.err.println("bench: using the archive " + archive + " (" + Files.size(archive) / (1024 * 1024)
                + " MiB, written by a first verify)");
    }
}
