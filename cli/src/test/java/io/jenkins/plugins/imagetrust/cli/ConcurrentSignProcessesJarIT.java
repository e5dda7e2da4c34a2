package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrersIndex;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 as a user met it: {@value #SIGNERS} {@code image-trust sign} processes (bin/image-trust and the shaded jar)
 * started together on one image, each with its own key, against a real docker-registry 2.8, in both formats (the
 * bundle goes to the referrers fallback tag there: no referrers API), for {@value #ROUNDS} rounds. Every process must
 * exit 0, and every signature it reported must be there afterwards, in both tags, and verify.
 */
class ConcurrentSignProcessesJarIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final int SIGNERS = 8;
    private static final int ROUNDS = 3;
    private static final Path LAUNCHER = Path.of("..", "bin", "image-trust").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process start(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void eightSignProcessesOnOneImageAllExitZeroAndEverySignatureStays() throws Exception {
        assertThat(LAUNCHER).exists();
        assertThat(Path.of("target", "image-trust.jar")).exists();
        RegistryClient registry = RegistryClient.builder().build();
        List<KeyPair> keys = new ArrayList<>();
        TrustPolicy.Builder policy = TrustPolicy.builder().threshold(SIGNERS);
        for (int i = 0; i < SIGNERS; i++) {
            KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
            keys.add(key);
            // unencrypted PKCS#8: 25 processes each spending scrypt's second on a key would test nothing more here
            Files.writeString(dir.resolve("k" + i + ".key"), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            policy.key(TrustedKey.builder("k" + i, key.getPublic()).build());
        }
        // One sign first, alone: the launcher writes sign's start-up archive on its first use; the rounds then start
        // as users' later runs do.
        ImageReference first = REGISTRY.reference("concurrent-cli/first:1");
        TestImages.push(registry, first);
        Process alone = start("first", "sign", "--key", "k0.key", first.toString());
        assertThat(alone.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(alone.exitValue()).as(read("first.err")).isZero();

        for (int round = 1; round <= ROUNDS; round++) {
            ImageReference image = REGISTRY.reference("concurrent-cli/app:" + round);
            Digest digest = TestImages.push(registry, image, "concurrent processes, round " + round);
            List<Process> signers = new ArrayList<>();
            for (int i = 0; i < SIGNERS; i++) {
                signers.add(start("r" + round + "-" + i, "sign", "--key", "k" + i + ".key", image.toString()));
            }
            for (int i = 0; i < SIGNERS; i++) {
                String name = "r" + round + "-" + i;
                Process signer = signers.get(i);
                assertThat(signer.waitFor(90, TimeUnit.SECONDS)).as(name + " finished").isTrue();
                assertThat(signer.exitValue()).as("round " + round + ", signer " + i + ": " + read(name + ".err")).isZero();
                assertThat(read(name + ".out").strip()).isEqualTo(image.repositoryOnly() + "@" + digest);
            }
            ImageReference repository = image.repositoryOnly();
            Manifest sig = registry.fetchManifest(repository, digest.signatureTag()).orElseThrow();
            // the processes sign equal payloads (same image, no annotations): their layers differ by signature
            assertThat(new HashSet<>(SignatureManifest.parse(sig.bytes()).layers().stream()
                    .map(layer -> Base64.getEncoder().encodeToString(layer.signature().orElseThrow())).toList()))
                    .as("round " + round + ": one .sig entry per process").hasSize(SIGNERS);
            Manifest fallback = registry.fetchManifest(repository, RegistryClient.referrersFallbackTag(digest)).orElseThrow();
            assertThat(ReferrersIndex.parse(fallback.bytes()).entries()).as("round " + round + ": one bundle referrer per process").hasSize(SIGNERS);
            VerificationReport report = ImageVerifier.builder().registry(registry).policy(policy.build()).build().verify(image);
            assertThat(report.trusted()).as("round " + round + ": all " + SIGNERS + " keys' signatures verify: " + report.summary()).isTrue();
        }
    }
}
