package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sign} and {@code verify} on multi-platform images (indexes built through the registry API), against a real docker-registry. */
class CliMultiPlatformTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final Map<String, String> ENV = Map.of(Passwords.ENV, "multi-platform passphrase");

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();

    private CliRun run(String... args) {
        return CliRun.run(ENV, "", args);
    }

    private String key() {
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve("release").toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        return dir.resolve("release").toString();
    }

    private record Pushed(ImageReference tag, Descriptor index, Descriptor amd64, Descriptor arm64) {
        String pinned(Descriptor manifest) {
            return tag.repositoryOnly().withDigest(manifest.digest()).pinned();
        }
    }

    private Pushed pushIndex(String repository) throws Exception {
        ImageReference tag = REGISTRY.reference(repository + ":multi");
        TestImages.MultiPlatform pushed = TestImages.pushMultiPlatform(registry, tag);
        return new Pushed(tag, pushed.index(), pushed.amd64(), pushed.arm64());
    }

    @Test
    void signingAnIndexPrintsEveryPlatformAndVerifyPlatformSelectsOne() throws Exception {
        String key = key();
        Pushed image = pushIndex("cli/multi");

        CliRun signed = run("sign", "--key", key + ".key", image.tag().toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.out.lines()).containsExactly(image.pinned(image.index()), image.pinned(image.amd64()) + "\tlinux/amd64",
                image.pinned(image.arm64()) + "\tlinux/arm64/v8");

        for (String platform : List.of("linux/amd64", "linux/arm64")) {
            CliRun verified = run("verify", "--key", key + ".pub", "--platform", platform, image.tag().toString());
            assertThat(verified.exitCode).as(verified.toString()).isZero();
            assertThat(verified.out).startsWith("verified " + image.tag() + "@" + (platform.equals("linux/amd64") ? image.amd64() : image.arm64()).digest());
        }
        CliRun json = run("verify", "-o", "json", "--key", key + ".pub", "--platform", "linux/arm64", image.tag().toString());
        JsonNode result = new ObjectMapper().readTree(json.out).at("/results/0");
        assertThat(result.get("platform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(result.get("index").asText()).isEqualTo(image.index().digest().toString());

        CliRun missing = run("verify", "--key", key + ".pub", "--platform", "linux/s390x", image.tag().toString());
        assertThat(missing.exitCode).as(missing.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err).contains("image-trust: error: " + image.tag() + ": ")
                .contains("has no manifest for linux/s390x; it has linux/amd64, linux/arm64/v8");
        assertThat(missing.err.lines().filter(line -> line.startsWith("image-trust: error:"))).hasSize(1);

        CliRun badPlatform = run("verify", "--key", key + ".pub", "--platform", "arm64", image.tag().toString());
        assertThat(badPlatform.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(badPlatform.err).contains("--platform: a platform is os/architecture[/variant]");
    }

    @Test
    void recursiveFalseSignsTheIndexAloneAndRequireAllPlatformsFailsIt() throws Exception {
        String key = key();
        Pushed image = pushIndex("cli/shallow");

        CliRun signed = run("sign", "--recursive=false", "--key", key + ".key", image.tag().toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.out.lines()).containsExactly(image.pinned(image.index()));
        assertThat(run("verify", "--key", key + ".pub", image.tag().toString()).exitCode).isZero();

        CliRun strict = run("verify", "--key", key + ".pub", "--require-all-platforms", image.tag().toString());
        assertThat(strict.exitCode).as(strict.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(strict.out.lines()).singleElement().asString().contains("not every platform manifest it lists is trusted")
                .contains("linux/amd64 sha256:");
        CliRun detailed = run("verify", "-v", "--key", key + ".pub", "--require-all-platforms", image.tag().toString());
        assertThat(detailed.out).contains("  platform linux/amd64: NOT verified"); // one line per platform under -v
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "requireAllPlatforms: true\nkeys:\n  - name: release\n    publicKeyFile: " + key + ".pub\n");
        assertThat(run("verify", "--policy", policy.toString(), image.tag().toString()).exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        CliRun noPlatform = run("verify", "--key", key + ".pub", "--platform", "linux/arm64", image.tag().toString());
        assertThat(noPlatform.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(noPlatform.out).contains("no signatures found");

        CliRun recursive = run("sign", "--recursive", "--key", key + ".key", image.tag().toString());
        assertThat(recursive.exitCode).as(recursive.toString()).isZero();
        assertThat(recursive.out.lines()).hasSize(3);
        CliRun complete = run("verify", "-v", "--policy", policy.toString(), image.tag().toString());
        assertThat(complete.exitCode).as(complete.toString()).isZero();
        assertThat(complete.out).contains("  platform linux/arm64/v8: verified");
    }
}
