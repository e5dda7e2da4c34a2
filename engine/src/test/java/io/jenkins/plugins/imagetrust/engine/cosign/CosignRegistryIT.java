package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.daemon.TagMovedException;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.OpenSsl;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.Verdict;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sign → verify round trips of the legacy {@code .sig} format against a real docker-registry, and what the registry
 * holds afterwards (the bundle format: {@link BundleRegistryIT}).
 */
class CosignRegistryIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private final RegistryClient registry = RegistryClient.builder().build();

    private static Signer signer(KeyAlgorithm algorithm) throws Exception {
        return new InMemorySigner(KeyPairs.generate(algorithm));
    }

    private static TrustPolicy trusting(Signer... signers) {
        TrustPolicy.Builder builder = TrustPolicy.builder();
        for (Signer s : signers) {
            builder.key(TrustedKey.builder("key-" + s.keyId().shortForm(), s.publicKey()).scheme(s.scheme()).build());
        }
        return builder.build();
    }

    private VerificationReport verify(ImageReference image, TrustPolicy policy) throws Exception {
        return ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
    }

    private SignResult sign(ImageReference image, Signer signer, Map<String, String> annotations) throws Exception {
        return ImageSigner.builder().registry(registry).signer(signer).build()
                .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.LEGACY).annotations(annotations).build());
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "ECDSA_P384", "RSA_2048", "ED25519"})
    void signThenVerifyForEveryKeyType(KeyAlgorithm algorithm) throws Exception {
        ImageReference image = REGISTRY.reference("roundtrip/" + algorithm.name().toLowerCase() + ":1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = signer(algorithm)) {
            SignResult result = sign(image, signer, Map.of("git", "abc123"));
            assertThat(result.digest()).isEqualTo(digest);
            assertThat(result.signatureTag()).isEqualTo(digest.signatureTag());
            assertThat(result.alreadyPresent()).isFalse();
            VerificationReport report = verify(image, trusting(signer).toBuilder().requiredAnnotation("git", "abc123").build());
            assertThat(report.verdict()).isEqualTo(Verdict.TRUSTED);
            assertThat(report.digest()).isEqualTo(digest);
            assertThat(report.signatures()).singleElement().satisfies(s -> assertThat(s.annotations()).containsEntry("git", "abc123"));
        }
    }

    @Test
    void rsaPssKeysSignAndVerifyWhenThePolicySaysPss() throws Exception {
        ImageReference image = REGISTRY.reference("roundtrip/pss:1");
        TestImages.push(registry, image);
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA_2048);
        try (Signer signer = new InMemorySigner(pair, SignatureScheme.RSA_PSS_SHA256)) {
            sign(image, signer, Map.of());
            assertThat(verify(image, trusting(signer)).trusted()).isTrue();
            TrustPolicy pkcs1 = TrustPolicy.builder().key(TrustedKey.builder("pkcs1", pair.getPublic()).build()).build();
            assertThat(verify(image, pkcs1).signatures().get(0).reason()).contains(RejectionReason.NO_TRUSTED_KEY);
        }
    }

    @Test
    void signingAppendsKeepsEarlierSignaturesAndDoesNotDuplicate() throws Exception {
        ImageReference image = REGISTRY.reference("append/app:2");
        Digest digest = TestImages.push(registry, image);
        try (Signer first = signer(KeyAlgorithm.ECDSA_P256); Signer second = signer(KeyAlgorithm.ECDSA_P256)) {
            sign(image, first, Map.of());
            assertThat(sign(image, first, Map.of()).alreadyPresent()).isTrue();
            sign(image, second, Map.of());
            sign(image, first, Map.of("build", "7"));
            Manifest sig = registry.fetchManifest(image, digest.signatureTag()).orElseThrow();
            assertThat(sig.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(SignatureManifest.parse(sig.bytes()).size()).isEqualTo(3);
            VerificationReport report = verify(image, trusting(first, second).toBuilder().threshold(2).build());
            assertThat(report.trusted()).isTrue();
            assertThat(report.signatures()).extracting(s -> s.reason().orElse(null))
                    .containsExactly(null, null, RejectionReason.DUPLICATE_KEY);
        }
    }

    @Test
    void aRerunThatDiffersOnlyInPerRunAnnotationsAddsNothingInEitherFormat() throws Exception {
        ImageReference image = REGISTRY.reference("rerun/app:1");
        Digest digest = TestImages.push(registry, image);
        try (Signer key = signer(KeyAlgorithm.ECDSA_P256)) {
            ImageSigner signer = ImageSigner.builder().registry(registry).signer(key).build();
            Set<String> perRun = Set.of("build-number", "build-url");
            SignResult first = signer.sign(rerun(image, "1", "abc", perRun));
            SignResult again = signer.sign(rerun(image, "2", "abc", perRun));

            assertThat(first.alreadyPresent()).isFalse();
            assertThat(again.alreadyPresent()).isTrue();
            assertThat(again.referrerDigest()).isEqualTo(first.referrerDigest());
            assertThat(SignatureManifest.parse(registry.fetchManifest(image, digest.signatureTag()).orElseThrow().bytes()).size())
                    .isEqualTo(1);
            assertThat(verify(image, trusting(key)).signatures()).hasSize(2); // one .sig layer, one bundle

            // Another commit is another statement; without per-run keys a new build number is one too.
            assertThat(signer.sign(rerun(image, "3", "def", perRun)).alreadyPresent()).isFalse();
            assertThat(signer.sign(rerun(image, "4", "def", Set.of())).alreadyPresent()).isFalse();
            assertThat(SignatureManifest.parse(registry.fetchManifest(image, digest.signatureTag()).orElseThrow().bytes()).size())
                    .isEqualTo(3);
            assertThat(verify(image, trusting(key)).signatures()).hasSize(6);
        }
    }

    private static SignRequest rerun(ImageReference image, String build, String git, Set<String> perRun) {
        return SignRequest.builder(image).signatureFormat(SignatureFormat.BOTH)
                .annotations(Map.of("git", git, "build-number", build, "build-url", "https://ci.example/job/app/" + build + "/"))
                .perRunAnnotations(perRun).build();
    }

    @Test
    void theStoredManifestAndConfigHaveTheInteropStructure() throws Exception {
        ImageReference image = REGISTRY.reference("structure/app:1");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = signer(KeyAlgorithm.ECDSA_P256)) {
            sign(image, signer, Map.of());
        }
        Manifest sig = registry.fetchManifest(image, digest.signatureTag()).orElseThrow();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var ours = json.readTree(sig.bytes());
        var theirs = json.readTree(InteropFixtures.bytes("cosign/signature-manifest.json"));
        assertThat(ours.fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.fieldNames());
        assertThat(ours.at("/layers/0").fieldNames()).toIterable().containsExactlyElementsOf(() -> theirs.at("/layers/0").fieldNames());
        assertThat(ours.at("/layers/0/annotations").fieldNames()).toIterable()
                .containsExactlyElementsOf(() -> theirs.at("/layers/0/annotations").fieldNames());
        byte[] config = registry.fetchBlob(image, Digest.parse(ours.at("/config/digest").asText()), 4096);
        String expectedConfig = "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + ours.at("/layers/0/digest").asText() + "\"]}}";
        assertThat(new String(config, StandardCharsets.UTF_8)).isEqualTo(expectedConfig);
        byte[] payload = registry.fetchBlob(image, Digest.parse(ours.at("/layers/0/digest").asText()), 4096);
        SimpleSigningPayload parsed = SimpleSigningPayload.parse(payload);
        assertThat(parsed.dockerReference()).isEqualTo(image.name());
        assertThat(parsed.manifestDigest()).isEqualTo(digest);
    }

    @Test
    void opensslAcceptsOurSignaturesOverOurPayloads(@TempDir Path dir) throws Exception {
        ImageReference image = REGISTRY.reference("openssl/app:1");
        Digest digest = TestImages.push(registry, image);
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.ECDSA_P256, KeyAlgorithm.RSA_2048)) {
            try (Signer signer = signer(algorithm)) {
                sign(image, signer, Map.of("algorithm", algorithm.name()));
                Files.writeString(dir.resolve(algorithm + ".pub"), PublicKeys.toPem(signer.publicKey()));
            }
        }
        SignatureManifest sig = SignatureManifest.parse(registry.fetchManifest(image, digest.signatureTag()).orElseThrow().bytes());
        OpenSsl openssl = new OpenSsl(dir);
        for (SignatureManifest.Layer layer : sig.layers()) {
            byte[] payload = registry.fetchBlob(image, layer.digest().orElseThrow(), 65536);
            String algorithm = SimpleSigningPayload.parse(payload).annotations().get("algorithm");
            Files.write(dir.resolve("payload-" + layer.index()), payload);
            Files.write(dir.resolve("sig-" + layer.index()), layer.signature().orElseThrow());
            assertThat(openssl.run("dgst", "-sha256", "-verify", algorithm + ".pub", "-signature", "sig-" + layer.index(), "payload-" + layer.index()))
                    .contains("Verified OK");
            payload[payload.length - 2] ^= 1;
            Files.write(dir.resolve("payload-" + layer.index()), payload);
            assertThat(openssl.tryRun("dgst", "-sha256", "-verify", algorithm + ".pub", "-signature", "sig-" + layer.index(),
                    "payload-" + layer.index()).exitCode()).isNotZero();
        }
        assertThat(sig.size()).isEqualTo(2);
    }

    @Test
    void unsignedImagesAndUntrustedKeys() throws Exception {
        ImageReference image = REGISTRY.reference("unsigned/app:1");
        TestImages.push(registry, image);
        try (Signer trusted = signer(KeyAlgorithm.ECDSA_P256); Signer stranger = signer(KeyAlgorithm.ECDSA_P256)) {
            assertThat(verify(image, trusting(trusted)).verdict()).isEqualTo(Verdict.NO_SIGNATURES);
            sign(image, stranger, Map.of());
            VerificationReport report = verify(image, trusting(trusted));
            assertThat(report.verdict()).isEqualTo(Verdict.THRESHOLD_NOT_MET);
            assertThat(report.signatures().get(0).reason()).contains(RejectionReason.NO_TRUSTED_KEY);
        }
    }

    @Test
    void aSignatureCopiedIntoAnotherRepositoryIsRejected() throws Exception {
        ImageReference original = REGISTRY.reference("team/app:1");
        ImageReference copy = REGISTRY.reference("evil/app:1");
        Digest digest = TestImages.push(registry, original, "same bytes");
        assertThat(TestImages.push(registry, copy, "same bytes")).isEqualTo(digest);
        try (Signer signer = signer(KeyAlgorithm.ECDSA_P256)) {
            sign(original, signer, Map.of());
            Manifest sig = registry.fetchManifest(original, digest.signatureTag()).orElseThrow();
            for (SignatureManifest.Layer layer : SignatureManifest.parse(sig.bytes()).layers()) {
                registry.pushBlob(copy, registry.fetchBlob(original, layer.digest().orElseThrow(), 65536));
            }
            byte[] configDigestText = sig.bytes();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(configDigestText);
            registry.pushBlob(copy, registry.fetchBlob(original, Digest.parse(json.at("/config/digest").asText()), 65536));
            registry.pushManifest(copy, digest.signatureTag(), sig.bytes(), MediaTypes.OCI_MANIFEST);
            VerificationReport report = verify(copy, trusting(signer));
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures().get(0).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        }
    }

    @Test
    void aSeparateSignatureRepository() throws Exception {
        ImageReference image = REGISTRY.reference("apps/web:3");
        ImageReference signatures = REGISTRY.reference("signatures/web");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = signer(KeyAlgorithm.ECDSA_P256)) {
            SignResult result = ImageSigner.builder().registry(registry).signer(signer).signatureRepository(signatures).build()
                    .sign(SignRequest.builder(image).build());
            assertThat(result.signatureRepository().name()).isEqualTo(signatures.name());
            assertThat(registry.fetchManifest(image, digest.signatureTag())).isEmpty();
            assertThat(registry.fetchManifest(signatures, digest.signatureTag())).isPresent();
            assertThat(ImageVerifier.builder().registry(registry).policy(trusting(signer)).signatureRepository(signatures).build()
                    .verify(image).trusted()).isTrue();
        }
    }

    @Test
    void aTagThatMovedIsNotSigned() throws Exception {
        ImageReference image = REGISTRY.reference("moving/app:latest");
        Digest pushed = TestImages.push(registry, image);
        Digest swapped = TestImages.push(registry, image);
        try (Signer signer = signer(KeyAlgorithm.ECDSA_P256)) {
            ImageSigner imageSigner = ImageSigner.builder().registry(registry).signer(signer).build();
            assertThatThrownBy(() -> imageSigner.sign(SignRequest.builder(image).expectedDigest(pushed).build()))
                    .isInstanceOf(TagMovedException.class)
                    .hasMessageContaining(pushed.toString()).hasMessageContaining(swapped.toString());
            assertThat(registry.fetchManifest(image, pushed.signatureTag())).isEmpty();
            assertThat(registry.fetchManifest(image, swapped.signatureTag())).isEmpty();
            assertThat(imageSigner.sign(SignRequest.builder(image.withDigest(pushed)).build()).digest()).isEqualTo(pushed);
            assertThat(imageSigner.sign(SignRequest.builder(image).expectedDigest(pushed).signRegistryDigest(true).build()).digest())
                    .isEqualTo(swapped);
        }
    }

    @Test
    void eightParallelSignersWithEightKeysLeaveEightSignatures() throws Exception {
        ImageReference image = REGISTRY.reference("parallel/app:1");
        Digest digest = TestImages.push(registry, image);
        List<Signer> signers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            signers.add(signer(KeyAlgorithm.ECDSA_P256));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SignResult>> tasks = new ArrayList<>();
            for (Signer s : signers) {
                RegistryClient own = RegistryClient.builder().build();
                tasks.add(() -> ImageSigner.builder().registry(own).signer(s).build().sign(SignRequest.builder(image).build()));
            }
            for (Future<SignResult> f : pool.invokeAll(tasks)) {
                assertThat(f.get().digest()).isEqualTo(digest);
            }
        } finally {
            pool.shutdownNow();
        }
        Manifest sig = registry.fetchManifest(image, digest.signatureTag()).orElseThrow();
        assertThat(SignatureManifest.parse(sig.bytes()).size()).isEqualTo(8);
        VerificationReport report = verify(image, trusting(signers.toArray(new Signer[0])).toBuilder().threshold(8).build());
        assertThat(report.trusted()).isTrue();
        signers.forEach(Signer::close);
    }

    @Test
    void fourParallelSignersWithTheSameKeyLeaveOneSignature() throws Exception {
        ImageReference image = REGISTRY.reference("parallel/same:1");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = signer(KeyAlgorithm.ECDSA_P256)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<SignResult>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    tasks.add(() -> sign(image, signer, Map.of("same", "annotations")));
                }
                long fresh = 0;
                for (Future<SignResult> f : pool.invokeAll(tasks)) {
                    fresh += f.get().alreadyPresent() ? 0 : 1;
                }
                assertThat(fresh).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(SignatureManifest.parse(registry.fetchManifest(image, digest.signatureTag()).orElseThrow().bytes()).size()).isEqualTo(1);
    }
}
