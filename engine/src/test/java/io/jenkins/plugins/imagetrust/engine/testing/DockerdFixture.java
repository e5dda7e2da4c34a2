package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real, private Docker daemon ({@code dockerd}) for one test class, isolated from the host's: its own data root,
 * exec root, pid file, socket, daemon configuration, trust key and containerd (which dockerd starts under the exec
 * root), all under one short temporary folder in {@code /tmp} (Unix socket paths must stay under ~100 characters).
 * vfs storage, no bridge, no iptables: it can build {@code FROM scratch} images and push to and pull from loopback
 * registries (plain HTTP to 127.0.0.0/8 is allowed by default), and nothing comes from Docker Hub.
 * Needs root and {@code /usr/sbin/dockerd}; stopped by PID and deleted after the class.
 *
 * <p>Register with {@code @RegisterExtension static DockerdFixture dockerd = new DockerdFixture();}.
 */
public class DockerdFixture implements BeforeAllCallback, AfterAllCallback {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private ManagedProcess process;
    private Path root;
    private Path dockerCli;
    private Duration startupTime;

    /** What a docker CLI command printed and how it ended. */
    public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
        /** stdout and stderr, for failure messages. */
        public String output() {
            return stdout + (stderr.isEmpty() ? "" : "\n[stderr]\n" + stderr);
        }

        public CommandResult assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + output());
            }
            return this;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public void start() throws IOException {
        RequiredBinaries.requireRoot("dockerd");
        Path dockerd = RequiredBinaries.require("dockerd");
        dockerCli = RequiredBinaries.require("docker");
        RequiredBinaries.require("containerd");
        root = Files.createTempDirectory(Path.of("/tmp"), "itd-");
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("exec"));
        Files.createDirectories(root.resolve("client"));
        Path config = root.resolve("daemon.json");
        // An explicit configuration file keeps /etc/docker/daemon.json out; the trust key would go to /etc/docker.
        Files.writeString(config, "{\"deprecated-key-path\": \"" + root.resolve("key.json") + "\"}\n");
        List<String> command = List.of(dockerd.toString(),
                "--config-file", config.toString(),
                "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("docker.pid").toString(),
                "-H", dockerHost(),
                "--storage-driver=vfs",
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--ip-masq=false",
                "--ip-forward=false",
                "--userland-proxy=false",
                // dockerd starts its own containerd under the exec root, unless a system containerd answers on
                // /run/containerd/containerd.sock: then it shares that one, so keep to namespaces of our own.
                "--containerd-namespace", root.getFileName().toString(),
                "--containerd-plugins-namespace", root.getFileName() + "-plugins");
        long started = System.nanoTime();
        process = ManagedProcess.start("dockerd", command, Map.of(), root);
        process.awaitReady(this::answersPing, READY_TIMEOUT);
        startupTime = Duration.ofNanos(System.nanoTime() - started);
        System.err.println("dockerd (pid " + process.pid() + ") ready on " + dockerHost() + " in " + startupTime.toMillis() + " ms");
    }

    /** How long dockerd took from start to answering {@code _ping}. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The daemon's data root (images, vfs layers, its containerd's content). */
    public Path dataRoot() {
        return root.resolve("data");
    }

    /** The daemon's socket. */
    public Path socket() {
        return root.resolve("docker.sock");
    }

    /** {@code unix:///tmp/itd-…/docker.sock}, for {@code DOCKER_HOST} and docker-java. */
    public String dockerHost() {
        return "unix://" + socket();
    }

    /** {@link #dockerHost()} as a URI. */
    public URI dockerHostUri() {
        return URI.create(dockerHost());
    }

    /** The daemon's log so far. */
    public String log() {
        return process == null ? "" : process.logText();
    }

    /** The folder {@code DOCKER_CONFIG} points at for {@link #docker(String...)} (config.json of {@code docker login}). */
    public Path clientConfigDir() {
        return root.resolve("client");
    }

    /** Runs the docker CLI against this daemon ({@code DOCKER_HOST}, a private {@code DOCKER_CONFIG}), with a timeout. */
    public CommandResult docker(String... args) {
        return run(Map.of(), args);
    }

    /**
     * Runs the docker CLI against this daemon with Docker Content Trust on and {@code notaryUrl} as its Notary server,
     * with its own {@code dockerConfig} folder (so its own trust folder, {@code dockerConfig/trust}, where it keeps
     * the root and repository keys it creates) and fixed test passphrases for those keys. The CLI does not check the
     * Notary server's certificate for an insecure registry (loopback ones are), so the test CA need not be installed.
     */
    public CommandResult trustedDocker(Path dockerConfig, String notaryUrl, String... args) {
        return run(Map.of("DOCKER_CONFIG", dockerConfig.toString(),
                "DOCKER_CONTENT_TRUST", "1",
                "DOCKER_CONTENT_TRUST_SERVER", notaryUrl,
                "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "test-root-passphrase",
                "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "test-repository-passphrase"), args);
    }

    /**
     * Writes a login for {@code registryHost} as {@code user} into {@code dockerConfig/config.json}: {@code docker trust
     * sign} names its signer role after the registry user, and the registry never checks the (fake) password.
     */
    public static void writeRegistryLogin(Path dockerConfig, String registryHost, String user) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":not-checked").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dockerConfig);
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + registryHost + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    /** The docker CLI with only this daemon's client settings and {@code extraEnvironment} (no inherited DOCKER_*). */
    private CommandResult run(Map<String, String> extraEnvironment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(dockerCli.toString());
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(root, "cli-", ".out");
            err = Files.createTempFile(root, "cli-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("DOCKER_"));
            env.putAll(clientEnvironment());
            env.put("DOCKER_BUILDKIT", "0");
            env.putAll(extraEnvironment);
            Process cli = builder.start();
            if (!cli.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                cli.descendants().forEach(ProcessHandle::destroyForcibly);
                cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT
                        + ":\n" + Files.readString(out) + Files.readString(err));
            }
            return new CommandResult(command, cli.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Builds {@code FROM scratch} + {@code COPY content.txt /content.txt} with the legacy builder (no BuildKit, no
     * network) and tags it {@code tag}; returns the image ID ({@code sha256:…}). Different content, different image.
     */
    public String buildScratchImage(String tag, String fileContent) {
        try {
            Path context = Files.createTempDirectory(root, "build-");
            try {
                Files.writeString(context.resolve("content.txt"), fileContent, StandardCharsets.UTF_8);
                Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY content.txt /content.txt\n");
                docker("build", "-q", "-t", tag, context.toString()).assertSuccess();
            } finally {
                RegistryFixture.deleteTree(context);
            }
            return docker("image", "inspect", "--format", "{{.Id}}", tag).assertSuccess().stdout().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops dockerd by PID (it stops its containerd), kills what is left of its children, and deletes its folder. */
    public void stop() {
        if (process != null) {
            Optional<ProcessHandle> daemon = ProcessHandle.of(process.pid());
            // Children must be listed before the daemon exits: orphans are no longer its descendants.
            List<ProcessHandle> children = daemon.map(h -> h.descendants().toList()).orElse(List.of());
            daemon.ifPresent(ProcessHandle::destroy);
            try {
                daemon.ifPresent(h -> h.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).exceptionally(t -> h).join());
            } finally {
                children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                process.close();
                process = null;
            }
        }
        if (root != null) {
            unmountLeftovers(root);
            RegistryFixture.deleteTree(root);
            root = null;
        }
    }

    /** A daemon that died uncleanly leaves its data root bind-mounted; unmount it so nothing leaks on the host. */
    private static void unmountLeftovers(Path folder) {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].startsWith(folder.toString() + "/")) {
                    mounts.add(fields[1]);
                }
            }
            mounts.sort((a, b) -> b.length() - a.length());
            for (String mount : mounts) {
                new ProcessBuilder("umount", "-l", mount).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            System.err.println("could not check mounts under " + folder + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answersPing() {
        Path socket = socket();
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(4096);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                // HTTP/1.0: the daemon closes the connection after the body
            }
            String text = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.") && text.contains(" 200 ") && text.endsWith("OK");
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temp file inside the fixture folder goes with the folder
            }
        }
    }

    /** Environment for running other docker-speaking tools against this daemon. */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", dockerHost());
        env.put("DOCKER_CONFIG", clientConfigDir().toString());
        return env;
    }
}
