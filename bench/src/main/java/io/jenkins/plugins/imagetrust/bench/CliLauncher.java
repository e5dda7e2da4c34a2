package io.jenkins.plugins.imagetrust.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkout's {@code bin/image-trust} launcher and the jar it runs, for the benchmarks that time the CLI as a
 * whole process (4 and 5b): finding them, the per-command start-up archive, and one timed run.
 */
final class CliLauncher {
    private static final long PROCESS_TIMEOUT_SECONDS = 120;
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final Path launcher;
    private final Path jar;
    private final Path workDir;

    CliLauncher(BenchConfig config, Path workDir) {
        this.launcher = config.projectRoot().resolve("bin").resolve("image-trust");
        this.jar = config.projectRoot().resolve("cli").resolve("target").resolve("image-trust.jar");
        this.workDir = workDir;
    }

    /** Why the CLI cannot be run here, or null when it can. */
    String unavailableReason() {
        if (!Files.isRegularFile(launcher)) {
            return "no launcher at " + launcher;
        }
        if (!Files.isRegularFile(jar)) {
            return "no CLI jar at " + jar + " (build it: mvn -DskipPlugin -pl cli -am package -DskipTests)";
        }
        return null;
    }

    Path jar() {
        return jar;
    }

    /** {@code /bin/sh bin/image-trust ARGUMENTS…}. */
    List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The archive the launcher writes on {@code command}'s first run and uses on later ones (one per command): an AOT
     * cache named after the JDK's feature version on JDK 25 and later, else a class-data-sharing archive. The launcher
     * reads the version from the JDK's {@code release} file; so does this.
     */
    Path startupArchive(String command) throws IOException {
        int feature = javaFeatureVersion(Path.of(javaCommand()));
        return jar.resolveSibling(feature >= 25 ? "image-trust-" + command + "-jdk" + feature + ".aot"
                : "image-trust-" + command + ".jsa");
    }

    /** The java the launcher uses: {@code $JAVA_HOME/bin/java}, else {@code java} on the PATH. */
    static String javaCommand() {
        String home = System.getenv("JAVA_HOME");
        return home == null || home.isEmpty() ? "java" : Path.of(home, "bin", "java").toString();
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)");

    /** The feature version in the {@code release} file of the JDK that {@code java} belongs to (0 if unknown). */
    private static int javaFeatureVersion(Path java) throws IOException {
        Path binary = java.getParent() != null ? java : findOnPath(java.toString());
        if (binary == null) {
            return 0;
        }
        Path release = binary.toRealPath().getParent().getParent().resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            Matcher version = JAVA_VERSION.matcher(line);
            if (version.find()) {
                return Integer.parseInt(version.group(1));
            }
        }
        return 0;
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Runs {@code command} in the work folder with {@code environment} added (the launcher's own tuning variables
     * removed first), and adds its wall-clock time in milliseconds to {@code samples} (null: not recorded). A
     * non-zero exit or a run over two minutes is an {@link IllegalStateException} carrying the process's output.
     */
    void time(Samples samples, List<String> command, Map<String, String> environment) {
        Path log = workDir.resolve("cli-output.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
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
                        + Files.readString(log));
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
}
