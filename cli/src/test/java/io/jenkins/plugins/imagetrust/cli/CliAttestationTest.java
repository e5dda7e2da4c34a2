package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code attest} and {@code verify-attestation}, in-process, against a real docker-registry. */
class CliAttestationTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final Map<String, String> ENV = Map.of(Passwords.ENV, "attest passphrase");
    private static final String PROVENANCE = "{\"buildDefinition\":{\"buildType\":\"https://example.com/build/v1\"},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://ci.example/job/app/\"}}}";

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();

    private CliRun run(String... args) {
        return CliRun.run(ENV, "", args);
    }

    private String key(String name) {
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve(name).toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        return dir.resolve(name).toString();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void attestThenVerifyPrintsTheStatementAndExitsLikeVerify() throws Exception {
        String release = key("release");
        String stranger = key("stranger");
        ImageReference image = REGISTRY.reference("cli/attest:1");
        Digest digest = TestImages.push(registry, image);
        Path predicate = file("provenance.json", PROVENANCE);

        CliRun attested = run("attest", "--key", release + ".key", "--predicate", predicate.toString(), "--type", "slsaprovenance1", image.toString());
        assertThat(attested.exitCode).as(attested.toString()).isZero();
        assertThat(attested.out.strip()).isEqualTo(image.repositoryOnly().withDigest(digest).pinned());

        CliRun verified = run("verify-attestation", "--key", release + ".pub", "--type", "slsaprovenance1", image.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out.lines()).as("one statement per format").hasSize(2).allSatisfy(line -> {
            JsonNode statement = readJson(line);
            assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
            assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo(digest.hex());
            assertThat(statement.at("/predicate/runDetails/builder/id").asText()).isEqualTo("https://ci.example/job/app/");
        });

        CliRun otherType = run("verify-attestation", "--key", release + ".pub", "--type", "spdxjson", image.toString());
        assertThat(otherType.exitCode).as(otherType.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(otherType.out).isEmpty();
        assertThat(otherType.err).contains("NO_ATTESTATION");

        CliRun otherKey = run("verify-attestation", "-o", "json", "--key", stranger + ".pub", "--type", "slsaprovenance1", image.toString());
        assertThat(otherKey.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        JsonNode report = readJson(otherKey.out).get(0);
        assertThat(report.path("satisfied").asBoolean()).isFalse();
        assertThat(report.path("attestations")).hasSize(2).allSatisfy(a -> assertThat(a.path("reason").asText()).isEqualTo("SIGNATURE_INVALID"));

        CliRun unsigned = run("verify", "--key", release + ".pub", image.toString());
        assertThat(unsigned.exitCode).as("an attestation is no signature").isEqualTo(ExitCodes.NOT_TRUSTED);
    }

    @Test
    void theSignatureRepositoryOptionOrCosignRepositoryPlacesAndFindsTheAttestations() throws Exception {
        String release = key("elsewhere");
        ImageReference image = REGISTRY.reference("cli/attest-elsewhere:1");
        Digest digest = TestImages.push(registry, image);
        ImageReference byOption = REGISTRY.reference("cli/attestations-option");
        ImageReference byEnvironment = REGISTRY.reference("cli/attestations-env");
        Path predicate = file("elsewhere.json", PROVENANCE);
        Map<String, String> cosignRepository = Map.of(Passwords.ENV, "attest passphrase", "COSIGN_REPOSITORY", byEnvironment.toString());

        CliRun optionWins = CliRun.run(cosignRepository, "", "attest", "--key", release + ".key", "--predicate", predicate.toString(),
                "--type", "slsaprovenance1", "--signature-repository", byOption.toString(), image.toString());
        assertThat(optionWins.exitCode).as(optionWins.toString()).isZero();
        assertThat(registry.fetchManifest(byOption, digest.attestationTag())).as("the option wins over COSIGN_REPOSITORY").isPresent();
        assertThat(registry.fetchManifest(byEnvironment, digest.attestationTag())).isEmpty();
        CliRun fromEnvironment = CliRun.run(cosignRepository, "", "attest", "--key", release + ".key", "--predicate", predicate.toString(),
                "--type", "slsaprovenance1", "--signature-format", "legacy", image.toString());
        assertThat(fromEnvironment.exitCode).as(fromEnvironment.toString()).isZero();
        assertThat(registry.fetchManifest(byEnvironment, digest.attestationTag())).as("COSIGN_REPOSITORY").isPresent();
        assertThat(registry.fetchManifest(image.repositoryOnly(), digest.attestationTag())).as("nothing beside the image").isEmpty();

        CliRun verified = run("verify-attestation", "--key", release + ".pub", "--type", "slsaprovenance1", "--signature-repository",
                byOption.toString(), image.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out.lines()).as("one statement per format").hasSize(2);
        CliRun verifiedFromEnvironment = CliRun.run(cosignRepository, "", "verify-attestation", "--key", release + ".pub", "--type",
                "slsaprovenance1", image.toString());
        assertThat(verifiedFromEnvironment.exitCode).as(verifiedFromEnvironment.toString()).isZero();
        assertThat(verifiedFromEnvironment.out.lines()).as("the legacy one only").hasSize(1);
        CliRun besideTheImage = run("verify-attestation", "--key", release + ".pub", "--type", "slsaprovenance1", image.toString());
        assertThat(besideTheImage.exitCode).as(besideTheImage.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(besideTheImage.err).contains("NO_ATTESTATION");
    }

    @Test
    void aPolicyFileRequiresAttestationsWithFieldRules() throws Exception {
        String release = key("policy");
        ImageReference image = REGISTRY.reference("cli/attest-policy:1");
        TestImages.push(registry, image);
        assertThat(run("attest", "--key", release + ".key", "--predicate", file("p.json", PROVENANCE).toString(), "--type", "slsaprovenance1",
                "--signature-format", "legacy", image.toString()).exitCode).isZero();
        String keys = "keys:\n  - name: release\n    publicKeyFile: policy.pub\n";
        Path good = file("good.yaml", keys + "requiredAttestations:\n  - predicateType: slsaprovenance1\n    builderIdPrefix: https://ci.example/\n");
        Path bad = file("bad.yaml", keys + "requiredAttestations:\n  - predicateType: slsaprovenance1\n    builderId: https://other.example/\n");

        assertThat(run("verify-attestation", "--policy", good.toString(), image.toString()).exitCode).isZero();
        CliRun wrongBuilder = run("verify-attestation", "-o", "json", "--policy", bad.toString(), image.toString());
        assertThat(wrongBuilder.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(readJson(wrongBuilder.out).at("/0/requirements/0/findings/0/reason").asText()).isEqualTo("BUILDER_ID_MISMATCH");
    }

    @Test
    void badInputIsAOneLineUsageError() throws Exception {
        String release = key("usage");
        String image = REGISTRY.reference("cli/attest-usage:1").toString();
        CliRun notJson = run("attest", "--key", release + ".key", "--predicate", file("bad.json", "{\"a\":").toString(), "--type", "spdxjson", image);
        assertThat(notJson.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(notJson.err.lines().findFirst().orElseThrow()).startsWith("image-trust: --predicate ").contains("is not JSON");
        CliRun badType = run("attest", "--key", release + ".key", "--predicate", file("ok.json", "{}").toString(), "--type", "not a type", image);
        assertThat(badType.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(badType.err).contains("neither one of");
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[9 * 1024 * 1024]);
        CliRun tooBig = run("attest", "--key", release + ".key", "--predicate", big.toString(), "--type", "spdxjson", image);
        assertThat(tooBig.exitCode).as(tooBig.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(tooBig.err).contains("the predicate file");
        CliRun noType = run("verify-attestation", "--key", release + ".pub", image);
        assertThat(noType.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(noType.err).contains("--type");
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
