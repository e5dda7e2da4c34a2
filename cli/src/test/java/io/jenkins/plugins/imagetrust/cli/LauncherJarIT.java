package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.SoftHsmFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command as users run it: bin/image-trust and the shaded jar, as separate processes. */
class LauncherJarIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final String PIN = "246810";

    @RegisterExtension
    static final SoftHsmFixture HSM = new SoftHsmFixture(PIN);

    private static final Path LAUNCHER = Path.of("..", "bin", "image-trust").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private Result launch(String... args) throws Exception {
        return launch(Map.of(), args);
    }

    private Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("IMAGE_TRUST_PASSWORD", "launcher-pass");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("image-trust finished").isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherSignsAndVerifiesAndExitsThreeOnTamper() throws Exception {
        assertThat(LAUNCHER).exists();
        assertThat(Path.of("target", "image-trust.jar")).exists();
        Result version = launch("--version");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("image-trust ");
        Result again = launch("--version");
        assertThat(again.out()).as("JVM log lines never reach stdout").isEqualTo(version.out()).hasLineCount(1);
        Path verifyArchive = Path.of("target", "image-trust-verify.jsa");
        Files.deleteIfExists(verifyArchive);

        assertThat(launch("generate-key-pair", "--output-key-prefix", "k").exit()).isZero();
        ImageReference image = REGISTRY.reference("launcher/app:1");
        RegistryClient registry = RegistryClient.builder().build();
        Digest digest = TestImages.push(registry, image);
        Result signed = launch("sign", "--key", "k.key", image.toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out().strip()).isEqualTo(image.repositoryOnly() + "@" + digest);
        Result verified = launch("verify", "--key", "k.pub", image.toString());
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verifyArchive).as("verify's first run writes verify's own class-data-sharing archive").exists();
        assertThat(verified.err()).as("writing the archive is silent").doesNotContain("[cds]");
        TestImages.push(registry, image);
        Result tampered = launch("verify", "--key", "k.pub", image.toString()); // now with that archive
        assertThat(tampered.exit()).as(tampered.err()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(tampered.err()).doesNotContain("[cds]");
        assertThat(launch("verify", image.toString()).exit()).isEqualTo(ExitCodes.USAGE);

        // An archive others could have rewritten is code nobody vouches for: the launcher runs without it.
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(verifyArchive);
        Set<PosixFilePermission> own = Files.getPosixFilePermissions(verifyArchive);
        Set<PosixFilePermission> worldWritable = EnumSet.copyOf(own);
        worldWritable.add(PosixFilePermission.OTHERS_WRITE);
        Files.setPosixFilePermissions(verifyArchive, worldWritable);
        try {
            Result ignoring = launch("verify", "--key", "k.pub", image.toString());
            assertThat(ignoring.exit()).as(ignoring.err()).isEqualTo(ExitCodes.NOT_TRUSTED);
            assertThat(ignoring.err()).contains("image-trust: ignoring ").contains("image-trust-verify.jsa")
                    .contains("writable by others");
            assertThat(Files.getLastModifiedTime(verifyArchive)).as("left as it was, not rewritten").isEqualTo(written);
        } finally {
            Files.setPosixFilePermissions(verifyArchive, own);
        }
        assertThat(launch("verify", "--key", "k.pub", image.toString()).err()).doesNotContain("ignoring");
    }

    @Test
    void onJdk25AFirstRunRecordsAnAotCacheQuietlyAndKeepsItsExitCode() throws Exception {
        Path jdk = newestJdkAtLeast(25);
        Assumptions.assumeTrue(jdk != null, "SKIPPED: no JDK 25 or later under " + JDK_ROOT
                + "; the launcher's AOT-cache path is not exercised on this machine");
        System.err.println("LauncherJarIT: the AOT-cache path runs on " + jdk);
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());
        String feature = javaFeatureVersion(jdk);
        Path cache = Path.of("target", "image-trust-verify-jdk" + feature + ".aot");
        Files.deleteIfExists(cache);
        assertThat(launch(env, "generate-key-pair", "--output-key-prefix", "signer").exit()).isZero();
        assertThat(launch(env, "generate-key-pair", "--output-key-prefix", "stranger").exit()).isZero();
        ImageReference image = REGISTRY.reference("launcher/aot:1");
        TestImages.push(RegistryClient.builder().build(), image);
        assertThat(launch(env, "sign", "--key", "signer.key", image.toString()).exit()).isZero();

        Result recording = launch(env, "verify", "--key", "stranger.pub", image.toString());
        assertThat(recording.exit()).as("the recording run keeps the command's exit code: " + recording.err())
                .isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(cache).as("verify's first run on JDK " + feature + " leaves verify's AOT cache").exists();
        assertThat(Path.of("target")).isDirectoryNotContaining("glob:**.config").isDirectoryNotContaining("glob:**.status");
        assertThat(recording.err()).as("the JVM's notes while recording are off").doesNotContain("[aot]");
        assertThat(recording.err().lines().filter(line -> line.contains("AOTConfiguration")))
                .as("but for the one line a recording JVM always prints").hasSizeLessThanOrEqualTo(1);
        assertThat(recording.out()).as("stdout holds the result only").startsWith("NOT verified " + image)
                .doesNotContain("AOT");

        Result cached = launch(env, "verify", "--key", "signer.pub", image.toString());
        assertThat(cached.exit()).as(cached.err()).isZero();
        assertThat(cached.err()).doesNotContain("[aot]").doesNotContain("[cds]");
        assertThat(cached.out()).startsWith("verified " + image);
    }

    @Test
    void aRecordingRunThatIsStoppedTakesItsJvmAndItsTemporaryFilesWithIt() throws Exception {
        Path jdk = newestJdkAtLeast(25);
        Assumptions.assumeTrue(jdk != null, "SKIPPED: no JDK 25 or later under " + JDK_ROOT
                + "; the launcher's AOT-cache recording is not exercised on this machine");
        Path target = Path.of("target").toAbsolutePath();
        Path cache = target.resolve("image-trust-digest-jdk" + javaFeatureVersion(jdk) + ".aot");
        Files.deleteIfExists(cache);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread holder = new Thread(() -> {
                List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered: the command waits
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (java.io.IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            holder.setDaemon(true);
            holder.start();
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "digest", "127.0.0.1:" + silent.getLocalPort() + "/stalled/app:1")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("stalled.txt").toFile());
            builder.environment().put("JAVA_HOME", jdk.toString());
            Process launcher = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<ProcessHandle> jvms = List.of();
            while (jvms.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                jvms = launcher.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).toList();
            }
            assertThat(jvms).as("the recording JVM runs under the launcher").isNotEmpty();
            Thread.sleep(1000); // well into the command, waiting for the silent registry

            launcher.destroy(); // SIGTERM to the launcher, as a CI abort or timeout(1) sends
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
            assertThat(launcher.exitValue()).isEqualTo(128 + 15);
            for (ProcessHandle jvm : jvms) {
                assertThat(jvm.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("the JVM ends with it").isFalse();
            }
            try (var files = Files.list(target)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("no recording or half-assembled cache left behind")
                        .noneMatch(name -> name.startsWith("image-trust-digest-") && (name.endsWith(".config") || name.matches(".*\\.aot\\.\\d+")));
            }
            assertThat(cache).as("an interrupted recording makes no cache").doesNotExist();
        }
    }

    /** An install folder {@code name} in the test's folder: {@code bin/image-trust} and {@code lib/image-trust.jar}. */
    private Path install(String name) throws Exception {
        Path install = dir.resolve(name);
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("lib"));
        Files.copy(LAUNCHER, install.resolve("bin/image-trust"));
        Files.copy(Path.of("target", "image-trust.jar"), install.resolve("lib/image-trust.jar"));
        return install;
    }

    /**
     * Each notary command writes its own archive: one written by {@code notary verify} would leave out what
     * {@code notary publish} loads (the key's scrypt, signing), as an archive holds only what its run loaded.
     */
    @Test
    void notaryCommandsWriteArchivesOfTheirOwn() throws Exception {
        Path install = install("install");
        int closedPort = io.jenkins.plugins.imagetrust.engine.testing.FreePorts.next(); // nothing listens: the command fails fast
        for (String command : List.of("verify", "publish")) {
            List<String> args = new java.util.ArrayList<>(List.of(install.resolve("bin/image-trust").toString(), "notary", command,
                    "--server", "https://127.0.0.1:" + closedPort, "--timeout", "5"));
            args.addAll(command.equals("verify") ? List.of("--tofu") : List.of("--key", "absent.key"));
            args.add(REGISTRY.reference("launcher/notary:1").toString());
            ProcessBuilder builder = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("notary.out").toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(dir.resolve("notary.out"))).isNotZero();
        }
        try (var files = Files.list(install.resolve("lib"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            for (String command : List.of("verify", "publish")) {
                assertThat(names).as("notary " + command + "'s own archive beside the jar")
                        .anyMatch(name -> name.equals("image-trust-notary-" + command + ".jsa")
                                || name.matches("image-trust-notary-" + command + "-jdk\\d+\\.aot"));
            }
            assertThat(names).noneMatch(name -> name.startsWith("image-trust-notary."));
        }
    }

    @Test
    void anInstallFolderWithASpaceInItsNameWorks() throws Exception {
        Path install = install("image trust");
        ImageReference image = REGISTRY.reference("launcher/spaced:1");
        Digest digest = TestImages.push(RegistryClient.builder().build(), image);
        for (int run = 1; run <= 2; run++) { // the first writes the archive, the second starts from it
            ProcessBuilder builder = new ProcessBuilder(install.resolve("bin/image-trust").toString(), "digest", image.toString())
                    .directory(dir.toFile()).redirectError(dir.resolve("spaced.err").toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(dir.resolve("spaced.err"))).isZero();
            assertThat(out.strip()).isEqualTo(image.repositoryOnly() + "@" + digest);
        }
        try (var files = Files.list(install.resolve("lib"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the archive was written beside the jar, whatever the JDK")
                    .anyMatch(name -> name.equals("image-trust-digest.jsa") || name.matches("image-trust-digest-jdk\\d+\\.aot"));
        }
    }

    private static final Path JDK_ROOT = Path.of("/usr/lib/jvm"); // where Debian and Temurin's packages put JDKs

    /** The JDK under {@link #JDK_ROOT} with the highest feature version of at least {@code minimum}, or null. */
    private static Path newestJdkAtLeast(int minimum) throws Exception {
        if (!Files.isDirectory(JDK_ROOT)) {
            return null;
        }
        try (var homes = Files.list(JDK_ROOT)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> javaFeatureVersion(home) != null && Integer.parseInt(javaFeatureVersion(home)) >= minimum)
                    .max(java.util.Comparator.comparingInt(home -> Integer.parseInt(javaFeatureVersion(home))))
                    .orElse(null);
        }
    }

    /** The feature version in a JDK's {@code release} file, as the launcher reads it, or null. */
    private static String javaFeatureVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                java.util.regex.Matcher version = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
                if (version.find()) {
                    return version.group(1);
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    @Test
    void signsWithAKeyInsideASoftHsmTokenAndVerifiesWithItsPublicKey() throws Exception {
        byte[] spki = HSM.generateKeyPair("EC:prime256v1", "01", "release-hsm", "release-hsm");
        PublicKey tokenKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        Files.writeString(dir.resolve("hsm.pub"), PublicKeys.toPem(tokenKey));
        ImageReference image = REGISTRY.reference("launcher/hsm:1");
        Digest digest = TestImages.push(RegistryClient.builder().build(), image);
        String uri = "pkcs11:slot-id=" + HSM.slotId() + ";object=release-hsm?module-path=" + HSM.module();
        Map<String, String> env = new java.util.HashMap<>(HSM.environment());
        env.put("IMAGE_TRUST_PKCS11_PIN", PIN);
        Result signed = launch(env, "sign", "--key", uri, image.toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out().strip()).isEqualTo(image.repositoryOnly() + "@" + digest);
        assertThat(signed.err()).doesNotContain(PIN);
        Result verified = launch("verify", "--key", "hsm.pub", image.toString());
        assertThat(verified.exit()).as(verified.err()).isZero();

        env.put("IMAGE_TRUST_PKCS11_PIN", "999999");
        Result wrongPin = launch(env, "sign", "--key", uri, image.toString());
        assertThat(wrongPin.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(wrongPin.err()).contains("PIN").doesNotContain("999999");
    }

    /**
     * The README's command-line quick start, run as written by sh in an empty folder: its own registry (on a free
     * port instead of 5000), an image pushed with bin/push-demo-image, a key, sign, verify. Only the port, the path of
     * bin/ and the git commit (no repository here) are replaced.
     */
    @Test
    void theReadmeQuickStartRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int marker = readme.indexOf("<!-- quick-start:");
        assertThat(marker).as("the README marks its quick start").isPositive();
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```sh\\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(readme);
        StringBuilder script = new StringBuilder("set -eu\n");
        assertThat(blocks.find(marker)).isTrue();
        script.append(blocks.group(1));
        assertThat(blocks.find()).isTrue();
        script.append(blocks.group(1));
        String port = String.valueOf(io.jenkins.plugins.imagetrust.engine.testing.FreePorts.next());
        Path bin = LAUNCHER.getParent();
        String text = script.toString().replace("localhost:5000", "localhost:" + port).replace("bin/", bin + "/")
                .replace("$(git rev-parse HEAD)", "0123abc")
                .replace("registry.log 2>&1 &", "registry.log 2>&1 & echo $! > registry.pid");
        assertThat(text).contains("registry.pid").contains("push-demo-image").contains("image-trust sign").contains("image-trust verify");
        Files.writeString(dir.resolve("quickstart.sh"), text);
        try {
            Result result = launchProcess(List.of("sh", "quickstart.sh"));
            assertThat(result.exit()).as(result.out() + result.err()).isZero();
            List<String> lines = result.out().lines().toList();
            assertThat(lines.get(0)).matches("localhost:" + port + "/team/app@sha256:[0-9a-f]{64}");
            assertThat(lines).as(result.out()).contains(lines.get(0))
                    .anyMatch(line -> line.startsWith("verified localhost:" + port + "/team/app:1.0@"))
                    .anyMatch(line -> line.contains("\"verdict\" : \"TRUSTED\""));
            assertThat(result.err()).doesNotContain("SLF4J").doesNotContain("Exception");
        } finally {
            Path pid = dir.resolve("registry.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void daemonRunsPrintNoSlf4jLines() throws Exception {
        assertThat(launch("generate-key-pair", "--output-key-prefix", "d").exit()).isZero();
        ImageReference image = REGISTRY.reference("launcher/daemon:1");
        TestImages.push(RegistryClient.builder().build(), image);
        Result result = launch(Map.of("DOCKER_HOST", "unix://" + dir.resolve("none.sock")), "sign", "--daemon", "--key", "d.key", image.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("none.sock").doesNotContain("SLF4J");
    }

    private Result launchProcess(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("IMAGE_TRUST_PASSWORD");
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the quick start finished").isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
