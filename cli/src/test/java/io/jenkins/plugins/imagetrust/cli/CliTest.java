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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real command, in-process, against a real docker-registry. */
class CliTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final String PASSPHRASE = "correct horse battery staple";
    private static final Map<String, String> ENV = Map.of(Passwords.ENV, PASSPHRASE);

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();

    private CliRun run(String... args) {
        return CliRun.run(ENV, "", args);
    }

    private String key(String name) {
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve(name).toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        assertThat(generated.out.strip()).matches("[0-9a-f]{64}");
        return dir.resolve(name).toString();
    }

    @Test
    void generateSignVerifyTamperVerify() throws Exception {
        String release = key("release");
        assertThat(Files.readString(Path.of(release + ".key"))).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(Path.of(release + ".key"))).hasSize(2);
        ImageReference image = REGISTRY.reference("cli/app:1.0");
        Digest digest = TestImages.push(registry, image);

        CliRun signed = run("sign", "--key", release + ".key", "-a", "git=abc", image.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.out.strip()).isEqualTo(image.repositoryOnly().withDigest(digest).pinned());
        assertThat(signed.err).doesNotContain(PASSPHRASE);

        CliRun verified = run("verify", "-v", "--key", release + ".pub", "-a", "git=abc", image.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out).startsWith("verified " + image + "@" + digest);
        assertThat(verified.out.lines().skip(1)).as("both formats: the key counts once, its other signature is valid")
                .anyMatch(line -> line.startsWith("  counted   legacy  "))
                .anyMatch(line -> line.startsWith("  valid     bundle  ") && line.contains("the key counts once"))
                .noneMatch(line -> line.contains("rejected"));

        TestImages.push(registry, image); // the tag now names other, unsigned bytes
        CliRun tampered = run("verify", "--key", release + ".pub", image.toString());
        assertThat(tampered.exitCode).as(tampered.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(tampered.out).contains("no signatures found");
        assertThat(run("verify", "--key", release + ".pub", image.repositoryOnly().withDigest(digest).pinned()).exitCode).isZero();
    }

    @Test
    void legacyPemTypeAndWrongPassphrase() throws Exception {
        CliRun generated = run("generate-key-pair", "--legacy-pem-type", "--output-key-prefix", dir.resolve("old").toString());
        assertThat(generated.exitCode).isZero();
        assertThat(Files.readString(dir.resolve("old.key"))).startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----");
        ImageReference image = REGISTRY.reference("cli/wrongpass:1");
        TestImages.push(registry, image);
        CliRun wrong = CliRun.run(Map.of(Passwords.COSIGN_ENV, "not it"), "", "sign", "--key", dir.resolve("old.key").toString(), image.toString());
        assertThat(wrong.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(wrong.err).contains("bad passphrase or corrupted key").doesNotContain("not it");
        CliRun none = CliRun.run(Map.of(), "", "sign", "--key", dir.resolve("old.key").toString(), image.toString());
        assertThat(none.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(none.err).contains("set IMAGE_TRUST_PASSWORD");
        assertThat(CliRun.run(Map.of(Passwords.COSIGN_ENV, PASSPHRASE), "", "sign", "--key", dir.resolve("old.key").toString(), image.toString())
                .exitCode).isZero();
    }

    @Test
    void jsonOutputFollowsTheDocumentedSchema() throws Exception {
        String release = key("json");
        ImageReference signedImage = REGISTRY.reference("cli/json:signed");
        ImageReference unsignedImage = REGISTRY.reference("cli/json:unsigned");
        Digest digest = TestImages.push(registry, signedImage);
        TestImages.push(registry, unsignedImage);
        assertThat(run("sign", "-q", "--key", release + ".key", signedImage.toString()).exitCode).isZero();
        String missing = REGISTRY.reference("cli/json:missing").toString();
        CliRun verified = run("verify", "-o", "json", "--key", release + ".pub", signedImage.toString(), unsignedImage.toString(), missing);
        assertThat(verified.exitCode).as("an error outranks not-trusted").isEqualTo(ExitCodes.ERROR);
        JsonNode root = new ObjectMapper().readTree(verified.out);
        assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
        JsonNode first = root.at("/results/0");
        assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("schemaVersion", "image", "digest", "verified", "verdict",
                "mode", "threshold", "countedKeys", "countedIdentities", "verifiedAt", "signatures");
        assertThat(first.get("verified").asBoolean()).isTrue();
        assertThat(first.get("digest").asText()).isEqualTo(digest.toString());
        assertThat(first.at("/signatures/0").fieldNames()).toIterable().containsExactlyInAnyOrder("source", "format", "payloadDigest", "keyId",
                "keyName", "counted", "reason", "detail", "annotations");
        assertThat(first.get("signatures")).extracting(s -> s.get("format").asText()).containsExactlyInAnyOrder("legacy", "bundle");
        assertThat(first.at("/signatures/0/keyName").asText()).isEqualTo("json.pub");
        assertThat(root.at("/results/1/verdict").asText()).isEqualTo("NO_SIGNATURES");
        assertThat(root.at("/results/2/verdict").asText()).isEqualTo("ERROR");
        assertThat(root.at("/results/2/error").asText()).contains("cli/json");
    }

    @Test
    void signatureFormatChoosesWhatIsWrittenAndVerifyReadsEither() throws Exception {
        String release = key("formats");
        ImageReference bundled = REGISTRY.reference("cli/formats:bundle");
        ImageReference legacy = REGISTRY.reference("cli/formats:legacy");
        Digest bundledDigest = TestImages.push(registry, bundled);
        Digest legacyDigest = TestImages.push(registry, legacy);
        assertThat(run("sign", "--signature-format", "bundle", "--key", release + ".key", bundled.toString()).exitCode).isZero();
        assertThat(run("sign", "--signature-format", "LEGACY", "--key", release + ".key", legacy.toString()).exitCode).isZero();
        assertThat(registry.fetchManifest(bundled, bundledDigest.signatureTag())).isEmpty();
        assertThat(registry.fetchManifest(bundled, RegistryClient.referrersFallbackTag(bundledDigest))).isPresent();
        assertThat(registry.fetchManifest(legacy, legacyDigest.signatureTag())).isPresent();
        assertThat(registry.fetchManifest(legacy, RegistryClient.referrersFallbackTag(legacyDigest))).isEmpty();

        CliRun verified = run("verify", "-o", "json", "--key", release + ".pub", bundled.toString(), legacy.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(verified.out);
        assertThat(root.at("/results/0/signatures/0/format").asText()).isEqualTo("bundle");
        assertThat(root.at("/results/1/signatures/0/format").asText()).isEqualTo("legacy");
        CliRun text = run("verify", "-v", "--key", release + ".pub", bundled.toString());
        assertThat(text.out).contains("counted   bundle  bundle:");

        CliRun wrong = run("sign", "--signature-format", "sig", "--key", release + ".key", legacy.toString());
        assertThat(wrong.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err).contains("--signature-format").contains("unknown signature format 'sig'");
    }

    @Test
    void policyFileAndWarnMode() throws Exception {
        String release = key("policy");
        ImageReference image = REGISTRY.reference("cli/policy:1");
        TestImages.push(registry, image);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "mode: warn\nkeys:\n  - name: release\n    publicKeyFile: policy.pub\n");
        CliRun warned = run("verify", "--policy", policy.toString(), image.toString());
        assertThat(warned.exitCode).as(warned.toString()).isZero();
        assertThat(warned.err).contains("WARNING").contains("mode is warn");
        Files.writeString(policy, "mode: enforce\nkeys:\n  - name: release\n    publicKeyFile: policy.pub\n");
        assertThat(run("verify", "--policy", policy.toString(), image.toString()).exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(run("sign", "--key", release + ".key", image.toString()).exitCode).isZero();
        assertThat(run("verify", "--policy", policy.toString(), image.toString()).exitCode).isZero();
        assertThat(run("verify", "--policy", policy.toString(), "--threshold", "2", image.toString()).exitCode).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void digestCommand() throws Exception {
        ImageReference image = REGISTRY.reference("cli/digest:7");
        Digest digest = TestImages.push(registry, image);
        CliRun printed = run("digest", image.toString());
        assertThat(printed.exitCode).isZero();
        assertThat(printed.out.strip()).isEqualTo(image.repositoryOnly() + "@" + digest);
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : new String[][] {
            {},
            {"sign", "127.0.0.1:1/x"},
            {"verify", "127.0.0.1:1/x"},
            {"verify", "--key", "a.pub", "--policy", "p.yaml", "127.0.0.1:1/x"},
            {"verify", "--key", "a.pub", "--output", "xml", "127.0.0.1:1/x"},
            {"digest", "--username", "u", "127.0.0.1:1/x"},
            {"sign", "--key", "k", "--expect-digest", "sha256:" + "0".repeat(64), "127.0.0.1:1/a", "127.0.0.1:1/b"},
            {"frobnicate"},
        }) {
            CliRun result = run(args);
            assertThat(result.exitCode).as(String.join(" ", args) + "\n" + result).isEqualTo(ExitCodes.USAGE);
            assertThat(result.out).isEmpty();
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : List.of(new String[] {"verify", "--help"}, new String[] {"sign", "-h"},
                new String[] {"notary", "publish", "--help"}, new String[] {"help", "digest"})) {
            CliRun help = run(args);
            assertThat(help.exitCode).as(String.join(" ", args) + "\n" + help).isZero();
            assertThat(help.out).as(String.join(" ", args)).contains("Usage: image-trust " + args[args[0].equals("help") ? 1 : 0]);
        }
    }

    @Test
    void unreachableRegistryExitsOneWithAClearMessage() {
        String image = "127.0.0.1:" + FreePorts.next() + "/nobody/home:1";
        CliRun result = run("digest", image);
        assertThat(result.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err).contains("image-trust: error: " + image).contains("127.0.0.1");
        assertThat(result.out).isEmpty();
    }

    @Test
    void aMissingKeyOrPolicyFileIsSaidToBeMissing() {
        String image = "127.0.0.1:" + FreePorts.next() + "/nobody/home:1";
        CliRun key = run("verify", "--key", "absent.pub", image);
        assertThat(key.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(key.err).contains("no such file: absent.pub");
        CliRun policy = run("verify", "--policy", "absent.yaml", image);
        assertThat(policy.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(policy.err).contains("cannot read policy file absent.yaml: no such file: absent.yaml");
        CliRun signingKey = run("sign", "--key", "absent.key", image);
        assertThat(signingKey.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(signingKey.err).contains("no such file: absent.key");
    }

    @Test
    void malformedReferenceIsAnErrorNamingIt() {
        CliRun result = run("digest", "Not/A:Reference:");
        assertThat(result.exitCode).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err).contains("invalid image reference 'Not/A:Reference:'");
    }

    @Test
    void worstExitCodeWins() {
        assertThat(ExitCodes.worst(ExitCodes.OK, ExitCodes.NOT_TRUSTED)).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(ExitCodes.worst(ExitCodes.ERROR, ExitCodes.NOT_TRUSTED)).isEqualTo(ExitCodes.ERROR);
        assertThat(ExitCodes.worst(ExitCodes.ERROR, ExitCodes.USAGE)).isEqualTo(ExitCodes.USAGE);
        assertThat(Set.of(ExitCodes.worst(ExitCodes.OK, ExitCodes.OK))).containsExactly(ExitCodes.OK);
    }
}
