package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code notary} 0.7.0 client as a test oracle, always with its own fresh trust folder (it answers
 * silently from its cache when it cannot reach the server) and the fixture's CA.
 */
final class NotaryCli {
    /** Test-only passphrases for the CLI's own key files. */
    private static final Map<String, String> PASSPHRASES = Map.of(
            "NOTARY_ROOT_PASSPHRASE", "test-root-pass",
            "NOTARY_TARGETS_PASSPHRASE", "test-targets-pass",
            "NOTARY_SNAPSHOT_PASSPHRASE", "test-snapshot-pass",
            "NOTARY_DELEGATION_PASSPHRASE", "test-delegation-pass");

    private final NotaryFixture notary;
    private final Path home;

    NotaryCli(NotaryFixture notary, Path home) {
        this.notary = notary;
        this.home = home;
    }

    /** Runs {@code notary <arguments>}, asserts exit 0 within a minute, returns stdout and stderr. */
    String run(String... arguments) throws IOException, InterruptedException {
        Path binary = RequiredBinaries.require("notary");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-s", notary.url(), "--tlscacert", notary.caFile().toString(),
                "-d", home.resolve("trust").toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(home, "notary-cli", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(PASSPHRASES);
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(60, TimeUnit.SECONDS);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("notary " + String.join(" ", arguments) + " did not finish: " + text).isTrue();
            assertThat(process.exitValue()).as("notary " + String.join(" ", arguments) + ": " + text).isZero();
            return text;
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
