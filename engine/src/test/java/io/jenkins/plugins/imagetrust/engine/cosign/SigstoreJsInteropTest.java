package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
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
 * independent Sigstore implementation (no cosign binary is available here); and bundles sigstore-js signs
 * ({@code @sigstore/sign}), attached in cosign's layout, verified by us. The npm modules are installed by
 * {@code .ci/run} (the versions {@code engine/src/test/sigstore-js/package-lock.json} pins) into {@code IMAGE_TRUST_SIGSTORE_JS} (default {@code ~/.cache/image-trust/sigstore-js}); without
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
        if (!Files.isDirectory(modules.resolve("@sigstore/verify")) || !Files.isDirectory(modules.resolve("@sigstore/sign"))) {
            String message = "INTEROP TEST NOT RUN: sigstore-js is not installed in " + dir + " (copy engine/src/test/sigstore-js/"
                    + "package*.json there and run npm ci --prefix " + dir + ", as .ci/run does)";
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
        return node(dir, "sigstore-js-verify.js", bundle.toString(), key.toString(), digest.toString());
    }

    private static Run node(Path dir, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString(), Path.of(SigstoreJsInteropTest.class.getResource(script).toURI()).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        builder.environment().put("NODE_PATH", modules.toString());
        builder.redirectError(dir.resolve(script + ".err").toFile());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("node did not finish in 60 s");
        }
        String err = Files.readString(dir.resolve(script + ".err"));
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8) + err);
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "ED25519"})
    void weVerifyABundleSigstoreJsMadeAttachedInCosignsLayout(KeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
        ImageReference image = REGISTRY.reference("fromsigstorejs/" + algorithm.name().toLowerCase() + ":1.0");
        Digest digest = TestImages.push(registry, image);
        Descriptor subject = registry.resolve(image);
        KeyPair pair = KeyPairs.generate(algorithm);
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Run signed = node(dir, "sigstore-js-sign.js", "key.pem", digest.toString(), "{\"git\":\"abc\"}");
        Files.delete(dir.resolve("key.pem"));
        assertThat(signed.exitCode()).as(signed.output()).isZero();
        byte[] bundle = signed.output().getBytes(StandardCharsets.UTF_8);

        // cosign's layout (pkg/oci/remote/write.go WriteReferrer, Go field order) and go-containerregistry's fallback
        // index, whose entry is typed application/vnd.oci.empty.v1+json and carries no annotations.
        Digest bundleDigest = registry.pushBlob(image, bundle);
        Digest config = registry.pushBlob(image, ReferrerManifest.EMPTY_CONFIG);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"" + config + "\",\"artifactType\":\"" + MediaTypes.SIGSTORE_BUNDLE
                + "\"},\"layers\":[{\"mediaType\":\"" + MediaTypes.SIGSTORE_BUNDLE + "\",\"size\":" + bundle.length + ",\"digest\":\"" + bundleDigest
                + "\"}],\"annotations\":{\"dev.sigstore.bundle.content\":\"dsse-envelope\",\"dev.sigstore.bundle.predicateType\":"
                + "\"https://sigstore.dev/cosign/sign/v1\",\"org.opencontainers.image.created\":\"2026-11-25T12:00:00Z\"},\"subject\":{\"mediaType\":\""
                + subject.mediaType() + "\",\"size\":" + subject.size() + ",\"digest\":\"" + digest + "\"},\"artifactType\":\""
                + MediaTypes.SIGSTORE_BUNDLE + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest referrer = registry.pushManifest(image, Digest.sha256(manifest).toString(), manifest, MediaTypes.OCI_MANIFEST);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"size\":" + manifest.length + ",\"digest\":\"" + referrer + "\",\"artifactType\":\""
                + MediaTypes.OCI_EMPTY + "\"}]}").getBytes(StandardCharsets.UTF_8);
        registry.pushManifest(image, RegistryClient.referrersFallbackTag(digest), index, MediaTypes.OCI_INDEX);

        TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("sigstore-js", pair.getPublic()).build()).requiredAnnotation("git", "abc").build();
        VerificationReport report = ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
        assertThat(report.trusted()).as(report.summary()).isTrue();
        assertThat(report.signatures()).singleElement().satisfies(check -> {
            assertThat(check.format()).isEqualTo(SignatureFormat.BUNDLE);
            assertThat(check.source()).contains(referrer.toString());
        });
        TrustPolicy exact = policy.toBuilder().identity(IdentityRule.EXACT_REFERENCE).build();
        assertThat(ImageVerifier.builder().registry(registry).policy(exact).build().verify(image).signatures().get(0).reason())
                .contains(RejectionReason.REFERENCE_MISMATCH);
        // And our publisher keeps that entry when it adds its own.
        try (Signer ours = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageSigner.builder().registry(registry).signer(ours).build().sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build());
        }
        JsonNode after = JSON.readTree(registry.fetchManifest(image, RegistryClient.referrersFallbackTag(digest)).orElseThrow().bytes());
        assertThat(after.get("manifests")).hasSize(2);
        assertThat(after.at("/manifests/0")).isEqualTo(JSON.readTree(index).at("/manifests/0"));
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
