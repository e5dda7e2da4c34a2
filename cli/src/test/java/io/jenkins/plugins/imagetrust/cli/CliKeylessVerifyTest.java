package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages;
import io.jenkins.plugins.imagetrust.engine.testing.KeylessImages.Layout;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code verify --certificate-identity … --certificate-oidc-issuer … --trusted-root …} on keyless-signed images in
 * both cosign layouts, against a real docker-registry: exit codes, the identity shown in text and JSON, usage errors.
 */
class CliKeylessVerifyTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    /** The test Sigstore's certificates live ten minutes around this instant, and the verifier's clock is real: the
     * keyless checks use the proven signing time, never the clock. */
    static final Instant SIGNED_AT = Instant.parse("2026-03-01T12:00:00Z");
    static final String WORKFLOW = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";
    static final Map<String, String> ENV = Map.of(Passwords.ENV, "keyless cli passphrase");

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();
    private static int counter;

    private record Signed(ImageReference image, Digest digest, Path root) {
    }

    private Signed keylessImage(Layout layout) throws Exception {
        ImageReference image = REGISTRY.reference("cli-keyless" + (++counter) + "/app:1.0");
        Digest digest = TestImages.push(registry, image, "cli keyless " + counter);
        KeylessImages.Signing signing = new KeylessImages.Signing(registry, SIGNED_AT, layout);
        signing.push(image, digest);
        Path root = dir.resolve("trusted_root-" + counter + ".json");
        Files.write(root, signing.sigstore.trustedRootJson());
        return new Signed(image, digest, root);
    }

    private static CliRun run(String... args) {
        return CliRun.run(ENV, "", args);
    }

    private static String[] keyless(Signed signed, String identity, String issuer, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "--certificate-identity", identity, "--certificate-oidc-issuer", issuer,
                "--trusted-root", signed.root().toString()));
        args.addAll(List.of(more));
        args.add(signed.image().toString());
        return args.toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeylessImageVerifiesAndTheOutputNamesWhoSigned(Layout layout) throws Exception {
        Signed signed = keylessImage(layout);
        CliRun text = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER));
        assertThat(text.exitCode).as(text.toString()).isZero();
        assertThat(text.out).startsWith("verified " + signed.image() + "@" + signed.digest()).contains(WORKFLOW, TestSigstore.GITHUB_ISSUER);

        CliRun json = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "-o", "json"));
        assertThat(json.exitCode).as(json.toString()).isZero();
        JsonNode signature = new ObjectMapper().readTree(json.out).at("/results/0/signatures/0");
        assertThat(signature.at("/certificateIdentity/subject").asText()).isEqualTo(WORKFLOW);
        assertThat(signature.at("/certificateIdentity/issuer").asText()).isEqualTo(TestSigstore.GITHUB_ISSUER);
        assertThat(signature.get("counted").asBoolean()).isTrue();

        CliRun regexp = run("verify", "--certificate-identity-regexp", "https://github\\.com/example/app/.*",
                "--certificate-oidc-issuer-regexp", "https://token\\.actions\\..*", "--trusted-root", signed.root().toString(),
                signed.image().toString());
        assertThat(regexp.exitCode).as(regexp.toString()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void anotherIdentityOrIssuerIsRejectedWithItsReasonCode(Layout layout) throws Exception {
        Signed signed = keylessImage(layout);
        CliRun identity = run(keyless(signed, "https://github.com/example/fork/.github/workflows/release.yml@refs/heads/main",
                TestSigstore.GITHUB_ISSUER));
        assertThat(identity.exitCode).as(identity.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(identity.out + identity.err).contains("IDENTITY_MISMATCH");

        CliRun issuer = run(keyless(signed, WORKFLOW, "https://issuer.example", "-o", "json"));
        assertThat(issuer.exitCode).as(issuer.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(new ObjectMapper().readTree(issuer.out).at("/results/0/signatures/0/reason").asText()).isEqualTo("ISSUER_MISMATCH");

        Path otherRoot = dir.resolve("other-root.json");
        Files.write(otherRoot, new TestSigstore(SIGNED_AT).trustedRootJson());
        CliRun untrusted = run("verify", "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", TestSigstore.GITHUB_ISSUER,
                "--trusted-root", otherRoot.toString(), signed.image().toString());
        assertThat(untrusted.exitCode).as(untrusted.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        // Another deployment's root trusts nothing of this one; its log entry is the first check to fail.
        assertThat(untrusted.out + untrusted.err).contains("TLOG_UNTRUSTED");
    }

    /** The test certificates carry Fulcio's v1 workflow extensions as a GitHub Actions run's do: trigger push, repository example/app. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void githubWorkflowOptionsNarrowTheIdentity(Layout layout) throws Exception {
        Signed signed = keylessImage(layout);
        CliRun matching = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "--certificate-github-workflow-trigger", "push",
                "--certificate-github-workflow-repository", "example/app"));
        assertThat(matching.exitCode).as(matching.toString()).isZero();

        CliRun otherRepository = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "--certificate-github-workflow-repository",
                "example/fork", "-o", "json"));
        assertThat(otherRepository.exitCode).as(otherRepository.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(new ObjectMapper().readTree(otherRepository.out).at("/results/0/signatures/0/reason").asText()).isEqualTo("IDENTITY_MISMATCH");

        // The v1 name extension is not in the test certificates: a check of a missing extension fails, never passes.
        CliRun missing = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "--certificate-github-workflow-name", "release"));
        assertThat(missing.exitCode).as(missing.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
    }

    @Test
    void aKeyAndAnIdentityCountAsTwoInOneThreshold() throws Exception {
        Signed signed = keylessImage(Layout.LEGACY);
        CliRun generated = run("generate-key-pair", "--output-key-prefix", dir.resolve("ci").toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        String pub = dir.resolve("ci.pub").toString();
        CliRun onlyKeyless = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "--key", pub, "--threshold", "2"));
        assertThat(onlyKeyless.exitCode).as(onlyKeyless.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);

        CliRun sign = run("sign", "--key", dir.resolve("ci.key").toString(), signed.image().toString());
        assertThat(sign.exitCode).as(sign.toString()).isZero();
        CliRun both = run(keyless(signed, WORKFLOW, TestSigstore.GITHUB_ISSUER, "--key", pub, "--threshold", "2"));
        assertThat(both.exitCode).as(both.toString()).isZero();
        assertThat(both.out).contains("signed by 2 trusted key(s) or identities, 2 required");
    }

    @Test
    void keylessOptionsAreCheckedAsUsage() throws Exception {
        Signed signed = keylessImage(Layout.BUNDLE);
        String image = signed.image().toString();
        CliRun noRoot = run("verify", "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", TestSigstore.GITHUB_ISSUER, image);
        assertThat(noRoot.exitCode).as(noRoot.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noRoot.err).contains("--certificate-identity needs --trusted-root FILE");

        CliRun noIssuer = run("verify", "--certificate-identity", WORKFLOW, "--trusted-root", signed.root().toString(), image);
        assertThat(noIssuer.exitCode).as(noIssuer.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noIssuer.err).contains("--certificate-oidc-issuer");

        CliRun both = run("verify", "--certificate-identity", WORKFLOW, "--certificate-identity-regexp", ".*", "--certificate-oidc-issuer",
                TestSigstore.GITHUB_ISSUER, "--trusted-root", signed.root().toString(), image);
        assertThat(both.exitCode).as(both.toString()).isEqualTo(ExitCodes.USAGE);

        CliRun nothing = run("verify", image);
        assertThat(nothing.exitCode).as(nothing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err).contains("give --key FILE, --policy FILE, or --certificate-identity");

        CliRun badExpression = run("verify", "--certificate-identity-regexp", "(", "--certificate-oidc-issuer", TestSigstore.GITHUB_ISSUER,
                "--trusted-root", signed.root().toString(), image);
        assertThat(badExpression.exitCode).as(badExpression.toString()).isEqualTo(ExitCodes.USAGE);

        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{not a root");
        CliRun unreadable = run("verify", "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", TestSigstore.GITHUB_ISSUER,
                "--trusted-root", garbage.toString(), image);
        assertThat(unreadable.exitCode).as(unreadable.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(unreadable.err).contains(garbage.toString());
    }

    @Test
    void aPolicyFileNamesIdentitiesAndTheirRoots() throws Exception {
        Signed signed = keylessImage(Layout.BUNDLE);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "trustedRoots:\n  test: " + signed.root().getFileName() + "\ntrustedIdentities:\n  - name: release\n"
                + "    subject: " + WORKFLOW + "\n    issuer: " + TestSigstore.GITHUB_ISSUER + "\n    trustedRoot: test\n"
                + "    extensions:\n      sourceRepositoryRef: refs/heads/main\n");
        CliRun verified = run("verify", "--policy", policy.toString(), signed.image().toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out).contains("release", WORKFLOW);

        Files.writeString(policy, Files.readString(policy).replace("refs/heads/main\n", "refs/heads/other\n"));
        CliRun rejected = run("verify", "--policy", policy.toString(), signed.image().toString());
        assertThat(rejected.exitCode).as(rejected.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(rejected.out + rejected.err).contains("IDENTITY_MISMATCH");
    }
}
