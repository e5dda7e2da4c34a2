package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture.CommandResult;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI against a {@link DockerdFixture} with Docker Content Trust on ({@code DOCKER_CONTENT_TRUST=1},
 * the fixture's Notary server) and its own {@code DOCKER_CONFIG} folder: docker keeps its trusted roots in
 * {@code <config>/trust}, so one folder is one client's memory of the repositories it has seen.
 */
final class TrustedDockerCli {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final DockerdFixture dockerd;
    private final NotaryFixture notary;
    private final Path config;

    TrustedDockerCli(DockerdFixture dockerd, NotaryFixture notary, Path config) {
        this.dockerd = dockerd;
        this.notary = notary;
        this.config = config;
    }

    /** This client's trust folder ({@code tuf/<gun>/metadata/*.json}, {@code private/} keys). */
    Path trustDirectory() {
        return config.resolve("trust");
    }

    /** docker trust sign names its signer role after the registry user: give the CLI one without a real login. */
    void loginAs(String registryHost, String user) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":not-checked").getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + registryHost + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    /** Runs {@code docker <args>} with content trust on and a timeout; test-only passphrases for docker's own key files. */
    CommandResult run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RequiredBinaries.require("docker").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(config, "docker", ".out");
        Path err = Files.createTempFile(config, "docker", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DOCKER_"));
        builder.environment().putAll(dockerd.clientEnvironment());
        builder.environment().put("DOCKER_CONFIG", config.toString());
        builder.environment().put("DOCKER_CONTENT_TRUST", "1");
        builder.environment().put("DOCKER_CONTENT_TRUST_SERVER", notary.url());
        builder.environment().put("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "test-root-passphrase");
        builder.environment().put("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "test-repository-passphrase");
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(finished).as(String.join(" ", command) + " did not finish: " + Files.readString(out) + Files.readString(err)).isTrue();
            return new CommandResult(command, process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
