package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.FreePorts;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a newcomer and a cosign user meet it (issue 14): usage errors, what a run prints by default and
 * with -v, explanations of a failed threshold, and cosign's spellings. The real command, in-process, against a real
 * docker-registry.
 */
class CliFirstUseTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final String PASSPHRASE = "first use";
    private static final Map<String, String> ENV = Map.of(Passwords.ENV, PASSPHRASE);

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();

    private CliRun run(String... args) {
        return CliRun.run(ENV, "", args);
    }

    private CliRun run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(ENV);
        env.putAll(extraEnv);
        return CliRun.run(env, "", args);
    }

    private String key(String name) {
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve(name).toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        return dir.resolve(name).toString();
    }

    /** Exit 2, nothing on stdout, and exactly: one line naming the mistake, then where the help is. */
    private static void assertUsageError(CliRun result, String command, String... mentions) {
        assertThat(result.exitCode).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out).isEmpty();
        List<String> lines = result.err.lines().toList();
        assertThat(lines).as(result.toString()).hasSize(2);
        assertThat(lines.get(0)).startsWith("image-trust: ").contains(mentions).doesNotContain("option option");
        assertThat(lines.get(1)).isEqualTo("see 'image-trust " + (command.isEmpty() ? "" : command + " ") + "--help'");
    }

    @Test
    void usageErrorsAreOneLineNamingTheMistakeThenWhereTheHelpIs() {
        String image = "127.0.0.1:" + FreePorts.next() + "/x:1";
        assertUsageError(run("sign", "--kye", "release.key", image), "sign", "unknown option '--kye'", "did you mean '--key'?");
        assertUsageError(run("verify", "--treshold", "2", "--key", "a.pub", image), "verify", "'--treshold'", "'--threshold'");
        assertUsageError(run("sign", image), "sign", "--key");
        assertUsageError(run("sign", "--key", "k", "-a", "git", image), "sign", "KEY=VALUE", "git");
        assertUsageError(run("sign", "--certificate-identity", "me", "--key", "k", image), "sign", "'--certificate-identity'",
                "keyless signing is not supported", "--key");
        assertUsageError(run("verify", "--certificate-identity", "me", "--key", "a.pub", image), "verify", "--certificate-oidc-issuer");
        CliRun farOff = run("verify", "--insecure-skip-everything", "--key", "a.pub", image);
        assertUsageError(farOff, "verify", "unknown option '--insecure-skip-everything'");
        assertThat(farOff.err).as("no suggestion of an option with another meaning").doesNotContain("--insecure-registry");
        assertUsageError(run("sign", "--key", "k", "--expect-digest", "abc", image), "sign", "--expect-digest", "'abc'");
        assertUsageError(run("verify", "--key", "a.pub", "--output", "xml", image), "verify", "--output", "'xml'");
        assertUsageError(run("sign", "--key", "k", "--docker-host", "unix:///nowhere.sock", image), "sign", "--docker-host", "--daemon");
        assertUsageError(run("frobnicate"), "", "unknown command 'frobnicate'");
        assertUsageError(run("notary", "publish", "--server", "https://127.0.0.1:1", "--kye", "k", image), "notary publish", "'--kye'");
    }

    @Test
    void helpIsPlainAndTheRiskyOptionSaysWhatItRisks() {
        CliRun help = run("sign", "--help");
        assertThat(help.exitCode).isZero();
        assertThat(help.out).doesNotContain("\u001b[").contains("--sign-unverified-digest").contains("RISKY")
                .contains("--daemon").contains("--docker-host=URL")
                .doesNotContain("--sign-registry-digest").doesNotContain("--tlog-upload");
        assertThat(help.out).as("--daemon takes no value").doesNotContain("--daemon[");
    }

    @Test
    void daemonIsASwitchThatNeverSwallowsTheImage() throws Exception {
        String release = key("daemon");
        ImageReference image = REGISTRY.reference("first/daemon:1");
        TestImages.push(registry, image);
        String missingSocket = "unix://" + dir.resolve("no-docker.sock");
        CliRun fromEnv = run(Map.of("DOCKER_HOST", missingSocket), "sign", "--key", release + ".key", "--daemon", image.toString());
        assertThat(fromEnv.exitCode).as(fromEnv.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(fromEnv.err).contains("image-trust: error: " + image).contains(missingSocket).contains("is the Docker daemon running")
                .doesNotContain("Missing required parameter").doesNotContain("SLF4J");
        String other = "unix://" + dir.resolve("other.sock");
        CliRun fromOption = run(Map.of("DOCKER_HOST", missingSocket), "sign", "--key", release + ".key", "--daemon", "--docker-host", other,
                image.toString());
        assertThat(fromOption.err).as(fromOption.toString()).contains(other).doesNotContain(missingSocket);
        assertThat(registry.fetchManifest(image, registry.resolve(image).digest().signatureTag())).as("nothing signed").isEmpty();
    }

    @Test
    void signAndVerifyPrintOneLinePerImageAndDetailsUnderVerbose() throws Exception {
        String release = key("lines");
        ImageReference first = REGISTRY.reference("first/lines:a");
        ImageReference second = REGISTRY.reference("first/lines:b");
        Digest firstDigest = TestImages.push(registry, first);
        TestImages.push(registry, second);

        CliRun signed = run("sign", "--key", release + ".key", first.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.out.lines()).containsExactly(first.repositoryOnly().withDigest(firstDigest).pinned());
        assertThat(signed.err.lines()).as(signed.toString()).singleElement().asString()
                .startsWith("image-trust: note: signing the digest each tag names at the registry now");
        CliRun pinned = run("sign", "-q", "--key", release + ".key", second.toString());
        assertThat(pinned.err).as("-q: results and warnings only").isEmpty();

        CliRun verified = run("verify", "--key", release + ".pub", first.toString());
        assertThat(verified.exitCode).isZero();
        assertThat(verified.out.lines()).singleElement().asString().startsWith("verified " + first + "@" + firstDigest);
        assertThat(verified.err).isEmpty();
        CliRun verbose = run("verify", "-v", "--key", release + ".pub", first.toString());
        assertThat(verbose.out.lines().skip(1)).hasSize(2)
                .anyMatch(line -> line.startsWith("  counted   legacy  "))
                .anyMatch(line -> line.startsWith("  valid     bundle  ") && line.contains("the key counts once"))
                .noneMatch(line -> line.contains("DUPLICATE_KEY"));
        assertThat(verbose.err).contains("is " + firstDigest);

        CliRun batch = run("verify", "--key", release + ".pub", first.toString(), second.toString());
        assertThat(batch.out.lines()).hasSize(2);
        assertThat(batch.err.lines()).as("a batch shows its progress").containsExactly("[1/2] " + first, "[2/2] " + second);
    }

    @Test
    void aFailedThresholdNamesTheKeyThatDidNotSignAndEachReasonOnce() throws Exception {
        String release = key("release");
        String ops = key("ops");
        ImageReference image = REGISTRY.reference("first/threshold:1");
        TestImages.push(registry, image);
        assertThat(run("sign", "-q", "--key", release + ".key", image.toString()).exitCode).isZero();

        CliRun twoKeys = run("verify", "--threshold", "2", "--key", release + ".pub", "--key", ops + ".pub", image.toString());
        assertThat(twoKeys.exitCode).as(twoKeys.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(twoKeys.out).contains("1 trusted key(s) signed, 2 required").contains("no counted signature by ops.pub")
                .doesNotContain("DUPLICATE_KEY").doesNotContain("already counted");

        Path policy = dir.resolve("expired.yaml");
        Files.writeString(policy, "keys:\n  - name: old\n    publicKeyFile: release.pub\n    notAfter: 2020-01-01T00:00:00Z\n");
        CliRun expired = run("verify", "--policy", policy.toString(), image.toString());
        assertThat(expired.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        String line = expired.out.lines().findFirst().orElseThrow();
        assertThat(line.split("KEY_EXPIRED", -1)).as("the expired key's reason once, though both formats carry its signature: " + line)
                .hasSize(2);
    }

    @Test
    void aPolicySyntaxErrorIsOneLineNamingFileLineAndColumn() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nthreshold: 1\nkeys:\n  - name: release\n    publicKeyFile: release.pub\n   - name: [broken\n");
        CliRun result = run("verify", "--policy", policy.toString(), "127.0.0.1:" + FreePorts.next() + "/x:1");
        assertThat(result.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err.lines()).as(result.toString()).singleElement().asString()
                .matches("image-trust: error: " + java.util.regex.Pattern.quote(policy.toString()) + ":6:\\d+: .*not valid JSON or YAML\\)");
    }

    @Test
    void anUnreachableRegistryIsSaidInWords() {
        String image = "127.0.0.1:" + FreePorts.next() + "/nobody/home:1";
        CliRun result = run("digest", image);
        assertThat(result.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err).contains("connection refused").doesNotContain("ConnectException").doesNotContain("java.");
    }

    @Test
    void optionValuesAreReadInAnyCase() throws Exception {
        String release = key("case");
        ImageReference image = REGISTRY.reference("first/case:1");
        TestImages.push(registry, image);
        assertThat(run("sign", "-q", "--signature-format", "BUNDLE", "--key", release + ".key", image.toString()).exitCode).isZero();
        CliRun json = run("verify", "--output", "JSON", "--identity", "Same-Repository", "--key", release + ".pub", image.toString());
        assertThat(json.exitCode).as(json.toString()).isZero();
        assertThat(new ObjectMapper().readTree(json.out).at("/results/0/verified").asBoolean()).isTrue();
        assertThat(run("generate-key-pair", "--algorithm", "ecdsa_p256", "--output-key-prefix", dir.resolve("lower").toString()).exitCode)
                .isZero();
    }

    @Test
    void generateKeyPairEndsItsStderrLineAndPrintsTheIdOnStdout() {
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve("gen").toString());
        assertThat(generated.out.strip()).matches("[0-9a-f]{64}");
        assertThat(generated.err.strip()).doesNotEndWith(":").contains("gen.key").contains("gen.pub");
    }

    @Test
    void cosignSpellingsWork() throws Exception {
        String release = key("cosign");
        ImageReference image = REGISTRY.reference("first/cosign:1");
        Digest digest = TestImages.push(registry, image);
        ImageReference signatures = REGISTRY.reference("first/cosign-signatures");

        // COSIGN_REPOSITORY, -y, --annotations, --tlog-upload=false, and a key in an environment variable.
        Map<String, String> env = Map.of("COSIGN_REPOSITORY", signatures.toString(), "RELEASE_KEY", Files.readString(Path.of(release + ".key")),
                "RELEASE_PUB", Files.readString(Path.of(release + ".pub")));
        CliRun signed = run(env, "sign", "-y", "--tlog-upload=false", "--annotations", "git=abc", "--key", "env://RELEASE_KEY", image.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.err).contains("image-trust: note: --tlog-upload has no effect");
        assertThat(registry.fetchManifest(signatures, digest.signatureTag())).as("stored in COSIGN_REPOSITORY").isPresent();
        assertThat(registry.fetchManifest(image, digest.signatureTag())).isEmpty();

        CliRun verified = run(env, "verify", "--insecure-ignore-tlog", "--key", "env://RELEASE_PUB", "-a", "git=abc", image.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.err.lines()).containsExactly("image-trust: note: --insecure-ignore-tlog has no effect: Image Trust writes and needs"
                + " no transparency log");
        assertThat(verified.out).contains("env://RELEASE_PUB");
        assertThat(run(Map.of(), "verify", "--key", "env://RELEASE_PUB", image.toString()).err).contains("RELEASE_PUB is not set");

        CliRun cosignShape = run(env, "verify", "--output", "cosign", "--key", release + ".pub", image.toString());
        assertThat(cosignShape.exitCode).as(cosignShape.toString()).isZero();
        assertThat(cosignShape.out.lines()).hasSize(1);
        JsonNode payloads = new ObjectMapper().readTree(cosignShape.out);
        assertThat(payloads.isArray()).isTrue();
        assertThat(payloads).hasSize(1);
        assertThat(payloads.at("/0/critical/image/docker-manifest-digest").asText()).isEqualTo(digest.toString());
        assertThat(payloads.at("/0/critical/identity/docker-reference").asText()).isEqualTo(image.repositoryOnly().toString());
        assertThat(payloads.at("/0/critical/type").asText()).isEqualTo("cosign container image signature");
        assertThat(payloads.at("/0/optional/git").asText()).isEqualTo("abc");
        CliRun untrusted = run("verify", "--output", "cosign", "--key", release + ".pub", image.toString()); // no COSIGN_REPOSITORY
        assertThat(untrusted.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(untrusted.out).isEmpty();
        assertThat(untrusted.err).contains("NOT verified");

        CliRun publicKey = run("public-key", "--key", release + ".key");
        assertThat(publicKey.exitCode).as(publicKey.toString()).isZero();
        assertThat(publicKey.out).isEqualTo(Files.readString(Path.of(release + ".pub")));
    }

    @Test
    void theOldNameOfTheRiskyOptionStillWorksWithANote() throws Exception {
        String release = key("moved");
        ImageReference image = REGISTRY.reference("first/moved:1");
        Digest pushed = TestImages.push(registry, image);
        Digest moved = TestImages.push(registry, image);
        CliRun refused = run("sign", "--key", release + ".key", "--expect-digest", pushed.toString(), image.toString());
        assertThat(refused.exitCode).isEqualTo(ExitCodes.ERROR);
        CliRun oldName = run("sign", "--key", release + ".key", "--expect-digest", pushed.toString(), "--sign-registry-digest", image.toString());
        assertThat(oldName.exitCode).as(oldName.toString()).isZero();
        assertThat(oldName.out.strip()).endsWith(moved.toString());
        assertThat(oldName.err).contains("--sign-registry-digest is deprecated").contains("--sign-unverified-digest");
    }
}
