package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our bundles, as stored in a real docker-registry, verified by sigstore-js ({@code @sigstore/verify}), an
 * independent Sigstore implementation (no cosign binary is available here). The npm modules are installed by
 * {@code .ci/run} into {@code IMAGE_TRUST_SIGSTORE_JS} (default {@code ~/.cache/image-trust/sigstore-js}); without
 * them the test is skipped loudly on a developer machine and fails under CI, like a missing real peer.
 */
class SigstoreJsInteropTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path node;
    private static Path modules;
    private final RegistryClient registry = RegistryClient.builder().build();

    @BeforeAll
    static void sigstoreJs() {
        node = RequiredBinaries.require("node");
        String configured = System.getenv("IMAGE_TRUST_SIGSTORE_JS");
        Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "image-trust", "sigstore-js");
        modules = dir.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("@sigstore/verify")) || !Files.isDirectory(modules.resolve("@sigstore/bundle"))) {
            String message = "INTEROP TEST NOT RUN: sigstore-js is not installed in " + dir
                    + " (npm install --prefix " + dir + " @sigstore/verify@4.1.3 @sigstore/bundle@5.0.1, as .ci/run does)";
            if (RequiredBinaries.isCi()) {
                Assertions.fail(message + "; under CI=true this is a failure");
            }
            System.err.println("*** " + message + " ***");
            Assumptions.abort(message);
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run verify(Path dir, Path bundle, Path key, Digest digest) throws Exception {
        Path script = Path.of(SigstoreJsInteropTest.class.getResource("sigstore-js-verify.js").toURI());
        ProcessBuilder builder = new ProcessBuilder(List.of(node.toString(), script.toString(), bundle.toString(), key.toString(), digest.toString()))
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("node did not finish in 60 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048", "ED25519"})
    void sigstoreJsVerifiesTheBundleWeAttached(KeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
        ImageReference image = REGISTRY.reference("sigstorejs/" + algorithm.name().toLowerCase() + ":1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(algorithm))) {
            SignResult result = ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).annotation("git", "abc").build());
            byte[] bundle = registry.fetchBlob(image, result.bundle().orElseThrow().bundleDigest(), BundleSignatureReader.MAX_BUNDLE_BYTES);
            Files.write(dir.resolve("bundle.json"), bundle);
            Files.writeString(dir.resolve("key.pem"), PublicKeys.toPem(signer.publicKey()));

            Run accepted = verify(dir, dir.resolve("bundle.json"), dir.resolve("key.pem"), digest);
            assertThat(accepted.exitCode()).as(accepted.output()).isZero();
            assertThat(accepted.output()).contains("sigstore-js verified: https://sigstore.dev/cosign/sign/v1 for " + digest);

            Run otherImage = verify(dir, dir.resolve("bundle.json"), dir.resolve("key.pem"), Digest.sha256("other".getBytes(StandardCharsets.UTF_8)));
            assertThat(otherImage.exitCode()).isNotZero();
            assertThat(otherImage.output()).contains("does not name");

            // One byte of the statement changed, the signature kept: sigstore-js refuses it as we do.
            JsonNode tree = JSON.readTree(bundle);
            byte[] statement = Base64.getDecoder().decode(tree.at("/dsseEnvelope/payload").asText());
            statement[statement.length - 3] ^= 1;
            ((ObjectNode) tree.get("dsseEnvelope")).put("payload", Base64.getEncoder().encodeToString(statement));
            Files.write(dir.resolve("tampered.json"), JSON.writeValueAsBytes(tree));
            Run tampered = verify(dir, dir.resolve("tampered.json"), dir.resolve("key.pem"), digest);
            assertThat(tampered.exitCode()).isNotZero();
            assertThat(tampered.output()).contains("SIGNATURE_ERROR");
            assertThat(tree.at("/verificationMaterial/publicKey/hint").asText()).isEqualTo(SigstoreBundle.publicKeyHint(signer.publicKey()));
        }
    }
}
