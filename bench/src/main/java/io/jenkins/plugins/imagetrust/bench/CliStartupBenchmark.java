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
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 4: {@code bin/image-trust verify --key … IMAGE} as a whole process, against a bare JVM start of the same
 * jar running {@code io.jenkins.plugins.imagetrust.cli.NoOp} with the launcher's JVM options. Measured with the
 * archive the launcher writes on first use (a class-data-sharing archive, or an AOT cache on JDK 25 and later), and
 * without it ({@code IMAGE_TRUST_NO_CDS=1}).
 */
final class CliStartupBenchmark {
    private static final long PROCESS_TIMEOUT_SECONDS = 120;
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final BenchEnvironment env;
    private final BenchConfig config;
    private final Path launcher;
    private final Path jar;
    private final Path workDir;

    CliStartupBenchmark(BenchEnvironment env, BenchConfig config, Path workDir) {
        this.env = env;
        this.config = config;
        this.launcher = config.projectRoot().resolve("bin").resolve("image-trust");
        this.jar = config.projectRoot().resolve("cli").resolve("target").resolve("image-trust.jar");
        this.workDir = workDir;
    }

    /** Why the benchmark cannot run here, or null when it can. */
    String unavailableReason() {
        if (!Files.isRegularFile(launcher)) {
            return "no launcher at " + launcher;
        }
        if (!Files.isRegularFile(jar)) {
            return "no CLI jar at " + jar + " (build it: mvn -DskipPlugin -pl cli -am package -DskipTests)";
        }
        return null;
    }

    /** Two results: with the launcher's start-up archive, and without. */
    List<Result> run() throws Exception {
        RawRegistry.SignatureRead image = env.pushSignedImages("cli", 1).get(0);
        Path publicKey = workDir.resolve("bench.pub");
        Files.writeString(publicKey, PublicKeys.toPem(env.keyPair().getPublic()), StandardCharsets.US_ASCII);
        String javaBinary = javaCommand();
        List<String> noOp = List.of(javaBinary, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", jar.toString(),
                "io.jenkins.plugins.imagetrust.cli.NoOp");
        List<String> verify = List.of("/bin/sh", launcher.toString(), "verify", "--key", publicKey.toString(),
                env.referenceOf(image).toString());
        prepareCdsArchive(verify);

        Samples baseline = new Samples(config.cliIterations());
        Samples withCds = new Samples(config.cliIterations());
        Samples withoutCds = new Samples(config.cliIterations());
        int[] errors = new int[3];
        int runs = config.cliWarmup() + config.cliIterations();
        for (int i = 0; i < runs; i++) {
            boolean measured = i >= config.cliWarmup();
            List<Runnable> steps = new ArrayList<>(List.of(
                    () -> time(measured ? baseline : null, noOp, Map.of()),
                    () -> time(measured ? withCds : null, verify, Map.of()),
                    () -> time(measured ? withoutCds : null, verify, Map.of("IMAGE_TRUST_NO_CDS", "1"))));
            Collections.rotate(steps, i); // each goes first in turn
            for (int step = 0; step < steps.size(); step++) {
                errors[(step + i) % steps.size()] += LatencyBenchmarks.attempt(steps.get(step));
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
        Path archive = launcherArchive();
        Files.deleteIfExists(archive);
        time(null, verify, Map.of());
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the launcher wrote no start-up archive at " + archive);
        }
        System.err.println("bench: using the archive " + archive + " (" + Files.size(archive) / (1024 * 1024)
                + " MiB, written by a first verify)");
    }

    private void time(Samples samples, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("cli-output.log").toFile());
        builder.environment().remove("IMAGE_TRUST_JAVA_OPTS");
        builder.environment().remove("IMAGE_TRUST_NO_CDS");
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(command.size() - 1) + " did not finish within "
                        + PROCESS_TIMEOUT_SECONDS + " s");
            }
            long elapsed = System.nanoTime() - start;
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(workDir.resolve("cli-output.log")));
            }
            if (samples != null) {
                samples.add(elapsed / NANOS_PER_MILLI);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The archive the launcher keeps for {@code verify} (one per command): an AOT cache named after the JDK's feature
     * version on JDK 25 and later, else a class-data-sharing archive; the launcher reads the version the same way.
     */
    private Path launcherArchive() throws IOException {
        int feature = javaFeatureVersion(Path.of(javaCommand()));
        return jar.resolveSibling(feature >= 25 ? "image-trust-verify-jdk" + feature + ".aot" : "image-trust-verify.jsa");
    }

    /** The feature version in the {@code release} file of the JDK that {@code java} belongs to (0 if unknown). */
    private static int javaFeatureVersion(Path java) throws IOException {
        Path binary = java.getParent() != null ? java : findOnPath(java.toString());
        if (binary == null) {
            return 0;
        }
        Path release = binary.toRealPath().getParent().getParent().resolve("release");
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            java.util.regex.Matcher version = JAVA_VERSION.matcher(line);
            if (version.find()) {
                return Integer.parseInt(version.group(1));
            }
        }
        return 0;
    }

    private static final java.util.regex.Pattern JAVA_VERSION = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)");

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The java the launcher uses: {@code $JAVA_HOME/bin/java}, else {@code java} on the PATH. */
    private static String javaCommand() {
        String home = System.getenv("JAVA_HOME");
        return home == null || home.isEmpty() ? "java" : Path.of(home, "bin", "java").toString();
    }
}
