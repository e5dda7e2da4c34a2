package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.SigstoreConformanceCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code verify-bundle} as the Sigstore conformance suite drives it (its {@code docs/cli_protocol.md}: arguments in
 * the protocol's order, {@code --trusted-root} only when the case has its own root): every case of {@code index.json}
 * exits as it must, a rejection naming the expected reason code.
 */
class CliVerifyBundleTest {
    private static final AtomicInteger VERIFIED = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();

    @TempDir
    Path dir;

    static Stream<SigstoreConformanceCases.Case> cases() {
        return SigstoreConformanceCases.all().stream();
    }

    /** The protocol's command line for a case; the production root comes from the environment, as the default root. */
    private static CliRun runCase(SigstoreConformanceCases.Case testCase, String fileOrDigest) {
        List<String> args = new ArrayList<>(List.of("verify-bundle", "--bundle", testCase.bundle().toString()));
        if (testCase.key().isPresent()) {
            args.addAll(List.of("--key", testCase.key().get().toString()));
        } else {
            args.addAll(List.of("--certificate-identity", testCase.identity(), "--certificate-oidc-issuer", testCase.issuer()));
        }
        boolean ownRoot = !testCase.trustedRoot().getFileName().toString().equals("production_trusted_root.json");
        if (ownRoot) {
            args.addAll(List.of("--trusted-root", testCase.trustedRoot().toString()));
        }
        args.add(fileOrDigest);
        Map<String, String> env = ownRoot ? Map.of() : Map.of(VerifyBundleCommand.TRUSTED_ROOT_VARIABLE, testCase.trustedRoot().toString());
        return CliRun.run(env, "", args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyConformanceCaseExitsAsItMust(SigstoreConformanceCases.Case testCase) {
        CliRun run = runCase(testCase, testCase.artifact().toString());
        if (testCase.mustPass()) {
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out).startsWith("verified: sha256:");
            VERIFIED.incrementAndGet();
        } else if (SigstoreConformanceCases.UNREADABLE_KEY.contains(testCase.name())) {
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(run.err).startsWith("image-trust: error: --key ").contains("malformed");
            REJECTED.incrementAndGet();
        } else {
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
            assertThat(run.err).startsWith("image-trust: rejected (" + testCase.expectedReason().get() + "): ");
            assertThat(run.err.strip()).doesNotContain("\n");
            assertThat(run.out).isEmpty();
            REJECTED.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aDigestStandsForTheArtifact(SigstoreConformanceCases.Case testCase) throws Exception {
        String digest = Digest.sha256(Files.readAllBytes(testCase.artifact())).toString();
        CliRun byFile = runCase(testCase, testCase.artifact().toString());
        CliRun byDigest = runCase(testCase, digest);
        assertThat(byDigest.exitCode).as(byDigest.toString()).isEqualTo(byFile.exitCode);
        assertThat(byDigest.err).isEqualTo(byFile.err);
    }

    @Test
    void theIdentityMustMatch() {
        SigstoreConformanceCases.Case happy = happyPath();
        CliRun run = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-identity",
                happy.identity() + "x", "--certificate-oidc-issuer", happy.issuer(), "--trusted-root", happy.trustedRoot().toString(),
                happy.artifact().toString());
        assertThat(run.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(run.err).startsWith("image-trust: rejected (IDENTITY_MISMATCH): ");

        CliRun issuer = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-identity",
                happy.identity(), "--certificate-oidc-issuer", "https://accounts.google.com", "--trusted-root", happy.trustedRoot().toString(),
                happy.artifact().toString());
        assertThat(issuer.exitCode).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(issuer.err).startsWith("image-trust: rejected (ISSUER_MISMATCH): ");
    }

    /** The happy path's certificate was issued to a GitHub Actions run and carries Fulcio's v1 workflow extensions. */
    @Test
    void githubWorkflowOptionsCheckTheCertificatesWorkflowExtensions() {
        SigstoreConformanceCases.Case happy = happyPath();
        List<String> identity = List.of("verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-identity", happy.identity(),
                "--certificate-oidc-issuer", happy.issuer(), "--trusted-root", happy.trustedRoot().toString());
        CliRun matching = runWith(identity, "--certificate-github-workflow-trigger", "workflow_dispatch",
                "--certificate-github-workflow-sha", "c7b3dfb335f051e1c86bda4c716fac97df62ad81",
                "--certificate-github-workflow-name", "Extremely dangerous OIDC beacon",
                "--certificate-github-workflow-repository", "sigstore-conformance/extremely-dangerous-public-oidc-beacon",
                "--certificate-github-workflow-ref", "refs/heads/main", happy.artifact().toString());
        assertThat(matching.exitCode).as(matching.toString()).isEqualTo(ExitCodes.OK);

        CliRun otherRef = runWith(identity, "--certificate-github-workflow-ref", "refs/heads/release", happy.artifact().toString());
        assertThat(otherRef.exitCode).as(otherRef.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(otherRef.err).startsWith("image-trust: rejected (IDENTITY_MISMATCH): ").contains("githubWorkflowRef");

        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-github-workflow-ref",
                "refs/heads/main", "--trusted-root", happy.trustedRoot().toString(), happy.artifact().toString()), "give --certificate-identity");
    }

    private static CliRun runWith(List<String> first, String... more) {
        List<String> args = new ArrayList<>(first);
        args.addAll(List.of(more));
        return CliRun.run(Map.of(), "", args.toArray(String[]::new));
    }

    @Test
    void regularExpressionsMatchTheWholeValue() {
        SigstoreConformanceCases.Case happy = happyPath();
        CliRun anchored = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(),
                "--certificate-identity-regexp", "https://github\\.com/sigstore-conformance/.*@refs/heads/main",
                "--certificate-oidc-issuer-regexp", "https://token\\.actions\\.githubusercontent\\.com", "--trusted-root",
                happy.trustedRoot().toString(), happy.artifact().toString());
        assertThat(anchored.exitCode).as(anchored.toString()).isEqualTo(ExitCodes.OK);

        CliRun partial = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(),
                "--certificate-identity-regexp", "sigstore-conformance", "--certificate-oidc-issuer", happy.issuer(), "--trusted-root",
                happy.trustedRoot().toString(), happy.artifact().toString());
        assertThat(partial.exitCode).as(partial.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(partial.err).startsWith("image-trust: rejected (IDENTITY_MISMATCH): ");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        SigstoreConformanceCases.Case happy = happyPath();
        String bundle = happy.bundle().toString();
        String root = happy.trustedRoot().toString();
        String artifact = happy.artifact().toString();
        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", bundle, "--trusted-root", root, artifact), "give --certificate-identity");
        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", bundle, "--certificate-identity", "a", "--trusted-root", root, artifact),
                "give --certificate-oidc-issuer");
        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", bundle, "--certificate-identity", "a", "--certificate-oidc-issuer", "b",
                "--key", "k.pub", "--trusted-root", root, artifact), "exclude each other");
        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", bundle, "--certificate-identity", "a", "--certificate-oidc-issuer", "b",
                artifact), "no trusted root: give --trusted-root FILE");
        assertUsage(CliRun.run(Map.of(), "", "verify-bundle", "--bundle", bundle, "--certificate-identity-regexp", "(", "--certificate-oidc-issuer",
                "b", "--trusted-root", root, artifact), "is not a valid regular expression");
    }

    private static void assertUsage(CliRun run, String expected) {
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err.lines().findFirst().orElse("")).startsWith("image-trust: ").contains(expected);
    }

    @Test
    void unreadableInputExitsOne() throws Exception {
        SigstoreConformanceCases.Case happy = happyPath();
        Path notJson = Files.writeString(dir.resolve("root.json"), "{\"mediaType\": 1}");
        CliRun badRoot = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-identity", "a",
                "--certificate-oidc-issuer", "b", "--trusted-root", notJson.toString(), happy.artifact().toString());
        assertThat(badRoot.exitCode).as(badRoot.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(badRoot.err).startsWith("image-trust: error: ").contains("trusted root: mediaType is missing or not a string");

        CliRun noBundle = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", dir.resolve("missing.json").toString(), "--certificate-identity",
                "a", "--certificate-oidc-issuer", "b", "--trusted-root", happy.trustedRoot().toString(), happy.artifact().toString());
        assertThat(noBundle.exitCode).as(noBundle.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(noBundle.err).startsWith("image-trust: error: no such file: ");

        CliRun noArtifact = CliRun.run(Map.of(), "", "verify-bundle", "--bundle", happy.bundle().toString(), "--certificate-identity", "a",
                "--certificate-oidc-issuer", "b", "--trusted-root", happy.trustedRoot().toString(), dir.resolve("nothing").toString());
        assertThat(noArtifact.exitCode).as(noArtifact.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(noArtifact.err).startsWith("image-trust: error: no such file: ");
    }

    private static SigstoreConformanceCases.Case happyPath() {
        return SigstoreConformanceCases.all().stream().filter(c -> c.name().equals("happy-path-v0.3")).findFirst().orElseThrow();
    }

    @AfterAll
    static void report() {
        System.out.println("Sigstore conformance through image-trust verify-bundle: " + VERIFIED.get() + " verified, " + REJECTED.get()
                + " rejected as expected");
    }
}
