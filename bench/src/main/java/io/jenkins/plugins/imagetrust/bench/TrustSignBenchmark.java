package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.NotaryVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.CosignKeyFile;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.RootPin;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture.CommandResult;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Benchmark 5: signing a new tag for Docker Content Trust. The baseline is {@code docker trust sign IMAGE:TAG} as a
 * process (content trust on, its own {@code DOCKER_CONFIG} and trust folder, passphrases from the environment);
 * ours is (a) {@code ImageSigner.sign} in process on a warm JVM with {@code notary(NotaryServer)}: the cosign
 * signature and the Notary target, and (b) {@code bin/image-trust notary publish} as a process: the Notary target only,
 * as {@code image-trust sign} has no Notary option. Real peers on 127.0.0.1: the benchmark's docker-registry,
 * notary-server + notary-signer over TLS ({@link NotaryFixture}), and a private dockerd ({@link DockerdFixture}).
 *
 * <p>Each side signs into its own repository; a first round, not measured, creates the root and repository keys
 * and initialises the three repositories, so the measured rounds each sign one new tag into an existing
 * repository. Every round signs a new image, built {@code FROM scratch} in the daemon and pushed through it under
 * the three repositories beforehand. The three steps of a round rotate which goes first.
 */
final class TrustSignBenchmark {
    /** The peers benchmark 5 starts besides the registry (dockerd also needs root). */
    static final List<String> BINARIES = List.of("dockerd", "docker", "containerd", "notary-server", "notary-signer");

    // Throw-away keys made for this run only; the passphrases protect nothing else.
    private static final String BENCH_KEY_PASSPHRASE = "bench-targets-passphrase";
    private static final String BENCH_ROOT_PASSPHRASE = "bench-root-passphrase";
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final BenchEnvironment env;
    private final BenchConfig config;
    private final Path workDir;
    private final CliLauncher cli;

    TrustSignBenchmark(BenchEnvironment env, BenchConfig config, Path workDir) {
        this.env = env;
        this.config = config;
        this.workDir = workDir;
        this.cli = new CliLauncher(config, workDir);
    }

    /** Why the benchmark cannot run here (a peer missing, not root), or null when it can. */
    static String unavailableReason() {
        List<String> missing = BINARIES.stream().filter(name -> RequiredBinaries.find(name).isEmpty()).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            return "not installed: " + String.join(", ", missing);
        }
        if (!RequiredBinaries.isRoot()) {
            return "dockerd needs root";
        }
        return null;
    }

    /** 5a (in process) and, where the CLI is built, 5b (the CLI process); each against {@code docker trust sign}. */
    List<Result> run() throws Exception {
        NotaryFixture notary = new NotaryFixture();
        DockerdFixture dockerd = new DockerdFixture();
        try {
            notary.start();
            dockerd.start();
            return measure(notary, dockerd);
        } finally {
            dockerd.stop();
            notary.stop();
        }
    }

    private List<Result> measure(NotaryFixture notary, DockerdFixture dockerd) throws Exception {
        String cliUnavailable = cli.unavailableReason();
        if (cliUnavailable != null) {
            System.err.println("bench: *** 5b. CLI notary publish NOT RUN: " + cliUnavailable + " ***");
        }
        int rounds = 1 + config.cliWarmup() + config.trustIterations(); // round 0 initialises the repositories
        List<Round> images = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            images.add(buildAndPush(dockerd, i));
        }

        Path dockerConfig = workDir.resolve("docker-config");
        DockerdFixture.writeRegistryLogin(dockerConfig, env.registryHost(), "bench");
        KeyPair rootPair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        InMemorySigner rootKey = new InMemorySigner(rootPair);
        try {
            NotaryServer options = NotaryServer.builder(notary.url()).caPem(notary.caPem()).rootSigner(rootKey).build();
            ImageSigner signer = ImageSigner.builder().registry(env.client()).signer(env.signer()).notary(options).build();
            warmUpInProcess(signer);

            Path targetsKeyFile = writeKey(workDir.resolve("targets.key"), env.keyPair().getPrivate(), BENCH_KEY_PASSPHRASE);
            Path rootKeyFile = writeKey(workDir.resolve("root.key"), rootPair.getPrivate(), BENCH_ROOT_PASSPHRASE);
            Map<String, String> cliEnvironment = Map.of("IMAGE_TRUST_PASSWORD", BENCH_KEY_PASSPHRASE,
                    "IMAGE_TRUST_ROOT_PASSWORD", BENCH_ROOT_PASSPHRASE);
            List<String> publish = cli.command("notary", "publish", "--server", notary.url(), "--ca", notary.caFile().toString(),
                    "--trust-dir", workDir.resolve("cli-trust").toString(), "--key", targetsKeyFile.toString());
            if (cliUnavailable == null) {
                Files.deleteIfExists(cli.startupArchive("notary-publish")); // the first (initialising) publish writes a fresh one
            }

            Samples baseline = new Samples(config.trustIterations());
            Samples inProcess = new Samples(config.trustIterations());
            Samples process = new Samples(config.trustIterations());
            Samples decryptOnly = new Samples(config.trustIterations());
            List<String> decryptKeyOnly = cliUnavailable == null ? decryptKeyOnly(targetsKeyFile) : List.of();
            int[] errors = new int[4];
            for (int i = 0; i < rounds; i++) {
                boolean measured = i > config.cliWarmup();
                Round round = images.get(i);
                List<String> publishThis = new ArrayList<>(publish);
                if (i == 0) {
                    publishThis.addAll(List.of("--root-key", rootKeyFile.toString())); // initialises the repository
                }
                publishThis.add(round.cli().toString());
                List<Runnable> steps = new ArrayList<>(List.of(
                        () -> dockerTrustSign(measured ? baseline : null, dockerd, dockerConfig, notary.url(), round.docker()),
                        LatencyBenchmarks.timed(measured ? inProcess : null, round, r -> signInProcess(signer, r)),
                        () -> {
                            if (cliUnavailable == null) {
                                cli.time(measured ? process : null, publishThis, cliEnvironment);
                            }
                        },
                        () -> {
                            if (cliUnavailable == null) {
                                cli.time(measured ? decryptOnly : null, decryptKeyOnly, cliEnvironment);
                            }
                        }));
                Collections.rotate(steps, i); // each goes first in turn
                for (int step = 0; step < steps.size(); step++) {
                    errors[Math.floorMod(step - i, steps.size())] += LatencyBenchmarks.attempt(steps.get(step));
                }
            }
            errors[0] += checkPublished(notary, images.get(rounds - 1).docker(), images.get(rounds - 1).digest());
            errors[1] += checkPublished(notary, images.get(rounds - 1).inProcess(), images.get(rounds - 1).digest());

            String note = "baseline: docker trust sign (pushes the tag again through dockerd, signs it into targets/releases)";
            List<Result> results = new ArrayList<>();
            results.add(Result.of("5a. sign + Notary, in-process, warm vs docker trust sign", "ms", baseline, inProcess, Goal.none(),
                    errors[0] + errors[1], note + "; ours: ImageSigner.sign with notary(): cosign signature + Notary target"));
            if (cliUnavailable == null) {
                errors[2] += checkPublished(notary, images.get(rounds - 1).cli(), images.get(rounds - 1).digest());
                results.add(Result.of("5b. CLI notary publish process vs docker trust sign", "ms", baseline, process, Goal.none(),
                        errors[0] + errors[2], "ours: bin/image-trust notary publish (Notary target only: sign has no Notary option),"
                                + " cosign-encrypted targets key"));
                results.add(Result.of("5c. JVM start + the cosign key's scrypt alone vs docker trust sign", "ms", baseline, decryptOnly,
                        Goal.none(), errors[0] + errors[3], "the floor of 5b with this key format: DecryptKeyOnly, the launcher's JVM"
                                + " options and notary publish's start-up archive; nothing else of the command"));
            }
            return results;
        } finally {
            rootKey.close();
        }
    }

    /**
     * 5c's process: a fresh JVM with the launcher's options and {@code notary publish}'s own start-up archive (written
     * by round 0), which decrypts the key and exits; so the classes it loads cost what they cost 5b.
     */
    private List<String> decryptKeyOnly(Path keyFile) throws IOException {
        Path archive = cli.startupArchive("notary-publish");
        List<String> archiveOptions = archive.toString().endsWith(".aot") ? List.of("-XX:AOTCache=" + archive)
                : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        List<String> command = new ArrayList<>(List.of(CliLauncher.javaCommand(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(archiveOptions);
        command.addAll(List.of("-cp", cli.jar().toString(), "io.jenkins.plugins.imagetrust.cli.DecryptKeyOnly", keyFile.toString()));
        return command;
    }

    /** Warm-up signs of images of another repository (never measured), so the measured ones run on a warm JVM. */
    private void warmUpInProcess(ImageSigner signer) throws Exception {
        for (BenchEnvironment.PushedImage image : env.pushImages("trust-warmup", config.warmup())) {
            signer.sign(SignRequest.builder(image.reference()).build());
        }
    }

    /**
     * One new image for round {@code index}, built in the daemon and pushed through it under the three repositories
     * (same image, so the same digest in each).
     */
    private Round buildAndPush(DockerdFixture dockerd, int index) throws Exception {
        String tag = "t" + index;
        ImageReference docker = ImageReference.parse(env.registryHost() + "/bench/dct:" + tag);
        ImageReference inProcess = ImageReference.parse(env.registryHost() + "/bench/ours:" + tag);
        ImageReference cliImage = ImageReference.parse(env.registryHost() + "/bench/cli:" + tag);
        dockerd.buildScratchImage(docker.toString(), "benchmark 5, round " + index + ", " + System.nanoTime());
        for (ImageReference image : List.of(inProcess, cliImage)) {
            dockerd.docker("tag", docker.toString(), image.toString()).assertSuccess();
        }
        for (ImageReference image : List.of(docker, inProcess, cliImage)) {
            dockerd.docker("push", image.toString()).assertSuccess();
        }
        return new Round(docker, inProcess, cliImage, env.client().resolve(docker).digest());
    }

    private static void dockerTrustSign(Samples samples, DockerdFixture dockerd, Path dockerConfig, String notaryUrl, ImageReference image) {
        long start = System.nanoTime();
        CommandResult result;
        try {
            result = dockerd.trustedDocker(dockerConfig, notaryUrl, "trust", "sign", image.toString());
        } catch (AssertionError e) { // the fixture's timeout
            throw new IllegalStateException(e.getMessage(), e);
        }
        long elapsed = System.nanoTime() - start;
        if (result.exitCode() != 0) {
            throw new IllegalStateException("docker trust sign " + image + " exited with " + result.exitCode() + ": " + result.output());
        }
        if (samples != null) {
            samples.add(elapsed / NANOS_PER_MILLI);
        }
    }

    private static void signInProcess(ImageSigner signer, Round round) throws Exception {
        SignResult result = signer.sign(SignRequest.builder(round.inProcess()).build());
        Digest published = result.notary().orElseThrow(() -> new IllegalStateException("nothing published to Notary for " + round.inProcess()))
                .resolution().digest();
        if (result.alreadyPresent() || !result.digest().equals(round.digest()) || !published.equals(round.digest())) {
            throw new IllegalStateException("signing " + round.inProcess() + " was a no-op or signed another digest");
        }
    }

    /** 0 when {@code image}'s tag resolves through the Notary trust data to {@code digest}, else 1 (printed). */
    private static int checkPublished(NotaryFixture notary, ImageReference image, Digest digest) {
        return LatencyBenchmarks.attempt(() -> {
            try {
                NotaryServer tofu = NotaryServer.builder(notary.url()).caPem(notary.caPem())
                        .rootPin(RootPin.trustOnFirstUse()).build();
                Digest resolved = NotaryVerifier.builder().notary(tofu).build().verify(image).resolution().digest();
                if (!resolved.equals(digest)) {
                    throw new IllegalStateException("Notary resolves " + image + " to " + resolved + ", not " + digest);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("checking " + image + " in Notary: " + e.getMessage(), e);
            }
        });
    }

    private static Path writeKey(Path file, PrivateKey key, String passphrase) throws Exception {
        char[] secret = passphrase.toCharArray();
        try {
            return Files.write(file, CosignKeyFile.encrypt(key, secret));
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** One round's image: the same image pushed under the three repositories, and its manifest digest. */
    private record Round(ImageReference docker, ImageReference inProcess, ImageReference cli, Digest digest) {
    }
}
