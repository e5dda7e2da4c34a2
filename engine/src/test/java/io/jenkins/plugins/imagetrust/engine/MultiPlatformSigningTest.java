package io.jenkins.plugins.imagetrust.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.registry.PlatformNotFoundException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.ForwardingProxy;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.Verdict;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Multi-platform images against a real docker-registry, built as buildx pushes them (platform manifests by digest,
 * a buildx attestation manifest, an OCI index or Docker manifest list, nested): signing an index signs what runtimes
 * check, in both formats; verification selects a platform, or covers them all.
 */
class MultiPlatformSigningTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private final RegistryClient registry = RegistryClient.builder().build();
    private Signer key;
    private TrustPolicy policy;

    /** A two-platform image with a buildx attestation manifest beside its amd64 manifest. */
    private record MultiPlatformImage(ImageReference tag, Descriptor index, Descriptor amd64, Descriptor arm64, Descriptor attestation) {
    }

    @BeforeEach
    void key() throws Exception {
        key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        policy = TrustPolicy.builder().key(TrustedKey.builder("release", key.publicKey()).build()).build();
    }

    @AfterEach
    void closeKey() {
        key.close();
    }

    private MultiPlatformImage pushMultiPlatform(String repository) throws Exception {
        ImageReference tag = REGISTRY.reference(repository + ":multi");
        TestImages.MultiPlatform pushed = TestImages.pushMultiPlatform(registry, tag);
        return new MultiPlatformImage(tag, pushed.index(), pushed.amd64(), pushed.arm64(), pushed.attestation());
    }

    private ImageSigner signer(RegistryClient client) {
        return ImageSigner.builder().registry(client).signer(key).build();
    }

    private VerificationReport verify(ImageReference image, TrustPolicy trust, Platform platform) throws Exception {
        return ImageVerifier.builder().registry(registry).policy(trust).platform(platform).build().verify(image);
    }

    private boolean hasLegacySignature(ImageReference repository, Digest digest) throws Exception {
        return registry.fetchManifest(repository.repositoryOnly(), digest.signatureTag()).isPresent();
    }

    private boolean hasBundle(ImageReference repository, Digest digest) throws Exception {
        return registry.fetchReferrers(repository.repositoryOnly(), digest).isPresent();
    }

    private ImageReference pinned(ImageReference image, Digest digest) {
        return image.repositoryOnly().withDigest(digest);
    }

    @Test
    void signingAnIndexSignsItAndEveryPlatformManifestInBothFormatsButNoAttestation() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/app");

        SignResult result = signer(registry).sign(SignRequest.builder(image.tag()).annotation("git", "abc123").build());

        assertThat(result.digest()).isEqualTo(image.index().digest());
        assertThat(result.manifests()).extracting(SignedManifest::digest).containsExactly(image.amd64().digest(), image.arm64().digest());
        assertThat(result.manifests()).extracting(m -> m.platform().orElseThrow().toString()).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(result.manifests()).allSatisfy(signed -> {
            assertThat(signed.parent()).isEqualTo(image.index().digest());
            assertThat(signed.legacySignatureTag()).contains(signed.digest().signatureTag());
            assertThat(signed.referrerDigest()).isPresent();
            assertThat(signed.alreadyPresent()).isFalse();
        });
        for (Descriptor manifest : List.of(image.index(), image.amd64(), image.arm64())) {
            assertThat(hasLegacySignature(image.tag(), manifest.digest())).as("legacy signature of " + manifest.digest()).isTrue();
            assertThat(hasBundle(image.tag(), manifest.digest())).as("bundle of " + manifest.digest()).isTrue();
        }
        assertThat(hasLegacySignature(image.tag(), image.attestation().digest())).as("the attestation manifest is not signed").isFalse();
        assertThat(hasBundle(image.tag(), image.attestation().digest())).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("image-trust-sign-manifest");

        // each platform digest verifies directly, in both formats, with the annotations the index's signature carries
        TrustPolicy withAnnotation = policy.toBuilder().requiredAnnotation("git", "abc123").build();
        for (Descriptor platformManifest : List.of(image.amd64(), image.arm64())) {
            VerificationReport report = verify(pinned(image.tag(), platformManifest.digest()), withAnnotation, null);
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.signatures()).extracting(check -> check.format().id()).containsExactlyInAnyOrder("legacy", "bundle");
            assertThat(report.signatures()).allSatisfy(check -> assertThat(check.annotations()).containsEntry("git", "abc123"));
        }
        assertThat(verify(pinned(image.tag(), image.attestation().digest()), policy, null).verdict()).isEqualTo(Verdict.NO_SIGNATURES);

        // signing again writes nothing
        SignResult again = signer(registry).sign(SignRequest.builder(image.tag()).annotation("git", "abc123").build());
        assertThat(again.allAlreadyPresent()).isTrue();
    }

    @Test
    void verifyingForAPlatformVerifiesThatPlatformsManifest() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/select");
        signer(registry).sign(SignRequest.builder(image.tag()).build());

        VerificationReport arm = verify(image.tag(), policy, Platform.parse("linux/arm64"));
        assertThat(arm.trusted()).as(arm.summary()).isTrue();
        assertThat(arm.digest()).isEqualTo(image.arm64().digest());
        assertThat(arm.platform()).contains(Platform.parse("linux/arm64/v8"));
        assertThat(arm.index()).contains(image.index().digest());
        assertThat(arm.summary()).contains("linux/arm64/v8 of " + image.index().digest().shortForm());
        assertThat(arm.toJsonTree().get("platform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(verify(image.tag(), policy, Platform.parse("linux/amd64")).digest()).isEqualTo(image.amd64().digest());

        assertThatThrownBy(() -> verify(image.tag(), policy, Platform.parse("linux/s390x")))
                .isInstanceOf(PlatformNotFoundException.class)
                .hasMessageContaining("has no manifest for linux/s390x; it has linux/amd64, linux/arm64/v8")
                .satisfies(e -> assertThat(((PlatformNotFoundException) e).available()).containsExactly("linux/amd64", "linux/arm64/v8"));
        assertThatThrownBy(() -> verify(image.tag(), policy, Platform.parse("unknown/unknown")))
                .as("an attestation manifest is never what a platform selects").isInstanceOf(PlatformNotFoundException.class);
    }

    @Test
    void aPlatformOnASinglePlatformImageChecksItsConfig() throws Exception {
        ImageReference image = REGISTRY.reference("multi/single:1");
        Digest digest = TestImages.push(registry, image); // linux/amd64
        signer(registry).sign(SignRequest.builder(image).build());

        VerificationReport report = verify(image, policy, Platform.parse("linux/amd64"));
        assertThat(report.trusted()).isTrue();
        assertThat(report.digest()).isEqualTo(digest);
        assertThatThrownBy(() -> verify(image, policy, Platform.parse("linux/arm64")))
                .isInstanceOf(PlatformNotFoundException.class)
                .hasMessageContaining("single-platform image for linux/amd64, not linux/arm64");
    }

    @Test
    void recursiveFalseSignsTheIndexAloneAndRequireAllPlatformsNotices() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/shallow");

        SignResult shallow = signer(registry).sign(SignRequest.builder(image.tag()).recursive(false).build());
        assertThat(shallow.manifests()).isEmpty();
        assertThat(hasLegacySignature(image.tag(), image.index().digest())).isTrue();
        assertThat(hasLegacySignature(image.tag(), image.amd64().digest())).isFalse();
        assertThat(hasLegacySignature(image.tag(), image.arm64().digest())).isFalse();

        assertThat(verify(image.tag(), policy, null).trusted()).as("the index alone is signed").isTrue();
        TrustPolicy allPlatforms = policy.toBuilder().requireAllPlatforms(true).build();
        VerificationReport strict = verify(image.tag(), allPlatforms, null);
        assertThat(strict.trusted()).isFalse();
        assertThat(strict.verdict()).isEqualTo(Verdict.PLATFORM_NOT_TRUSTED);
        assertThat(strict.platformReports()).extracting(VerificationReport::digest).containsExactly(image.amd64().digest(), image.arm64().digest());
        assertThat(strict.platformReports()).extracting(VerificationReport::verdict).containsOnly(Verdict.NO_SIGNATURES);
        assertThat(strict.reason().orElseThrow()).contains("linux/amd64 " + image.amd64().digest().shortForm() + ": no signatures found")
                .contains("linux/arm64/v8");
        assertThat(strict.toJsonTree().get("platforms")).hasSize(2);

        SignResult deep = signer(registry).sign(SignRequest.builder(image.tag()).build());
        assertThat(deep.alreadyPresent()).as("the index was signed already").isTrue();
        assertThat(deep.manifests()).hasSize(2).noneMatch(SignedManifest::alreadyPresent);
        VerificationReport complete = verify(image.tag(), allPlatforms, null);
        assertThat(complete.trusted()).as(complete.summary()).isTrue();
        assertThat(complete.platformReports()).hasSize(2).allMatch(VerificationReport::trusted);
        assertThat(complete.summary()).contains("and the 2 platform manifests it lists");
    }

    @Test
    void nestedIndexesAreSignedAllTheWayDown() throws Exception {
        ImageReference tag = REGISTRY.reference("multi/nested:1");
        Descriptor amd64 = TestImages.pushPlatformImage(registry, tag, "linux", "amd64", null);
        Descriptor armV7 = TestImages.pushPlatformImage(registry, tag, "linux", "arm", "v7");
        Descriptor armV6 = TestImages.pushPlatformImage(registry, tag, "linux", "arm", "v6");
        Descriptor inner = TestImages.pushIndex(registry, tag, null, MediaTypes.DOCKER_MANIFEST_LIST,
                List.of(TestImages.entry(armV7, "linux/arm/v7"), TestImages.entry(armV6, "linux/arm/v6")));
        Descriptor outer = TestImages.pushIndex(registry, tag, "1", MediaTypes.OCI_INDEX,
                List.of(TestImages.entry(amd64, "linux/amd64"), TestImages.entry(inner, null)));

        SignResult result = signer(registry).sign(SignRequest.builder(tag).signatureFormat(SignatureFormat.LEGACY).build());

        assertThat(result.manifests()).extracting(SignedManifest::digest)
                .containsExactly(amd64.digest(), inner.digest(), armV7.digest(), armV6.digest());
        assertThat(result.manifests()).extracting(SignedManifest::parent)
                .containsExactly(outer.digest(), outer.digest(), inner.digest(), inner.digest());
        for (Descriptor manifest : List.of(outer, amd64, inner, armV7, armV6)) {
            assertThat(hasLegacySignature(tag, manifest.digest())).as(manifest.digest().toString()).isTrue();
            assertThat(hasBundle(tag, manifest.digest())).as("legacy format only").isFalse();
        }
        VerificationReport v6 = verify(tag, policy, Platform.parse("linux/arm/v6"));
        assertThat(v6.trusted()).isTrue();
        assertThat(v6.digest()).isEqualTo(armV6.digest());
        assertThat(v6.index()).contains(inner.digest());
        assertThatThrownBy(() -> verify(tag, policy, Platform.parse("linux/arm")))
                .as("two manifests for linux/arm: the variant must be named")
                .isInstanceOf(PlatformNotFoundException.class).hasMessageContaining("name the variant");
        VerificationReport all = verify(tag, policy.toBuilder().requireAllPlatforms(true).build(), null);
        assertThat(all.trusted()).isTrue();
        assertThat(all.platformReports()).hasSize(4);
    }

    @Test
    void aPlatformThatFailsToSignIsNamedTheOthersCompleteAndTheIndexWaits() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/fault");
        String refusedPut = "/manifests/" + image.arm64().digest().signatureTag();
        AtomicInteger refused = new AtomicInteger();
        boolean[] faulty = {true};
        try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> {
            if (faulty[0] && request.method().equals("PUT") && request.path().endsWith(refusedPut)) {
                refused.incrementAndGet();
                exchange.respond(500, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage driver failed\"}]}",
                        "Content-Type", "application/json");
                return true;
            }
            return false;
        })) {
            ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/multi/fault:multi");
            RegistryClient throughProxy = RegistryClient.builder().requestTimeout(Duration.ofSeconds(5)).retries(1)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();

            IndexSigningException failed = catchThrowableOfType(
                    () -> signer(throughProxy).sign(SignRequest.builder(proxied).build()), IndexSigningException.class);

            assertThat(refused.get()).isPositive();
            assertThat(failed.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.manifest().platformText()).isEqualTo("linux/arm64/v8");
                assertThat(failure.manifest().digest()).isEqualTo(image.arm64().digest());
                assertThat(failure.reason()).contains("push-manifest");
            });
            assertThat(failed.signed()).extracting(SignedManifest::digest).containsExactly(image.amd64().digest());
            assertThat(failed.getMessage()).contains("failed for 1 of 2").contains("[linux/arm64/v8 " + image.arm64().digest())
                    .contains("the index is not");
            // the other platform is signed completely, the failed one has nothing half-written, the index waits
            assertThat(hasLegacySignature(image.tag(), image.amd64().digest())).isTrue();
            assertThat(hasBundle(image.tag(), image.amd64().digest())).isTrue();
            assertThat(hasLegacySignature(image.tag(), image.arm64().digest())).isFalse();
            assertThat(hasBundle(image.tag(), image.arm64().digest())).isFalse();
            assertThat(hasLegacySignature(image.tag(), image.index().digest())).isFalse();
            assertThat(hasBundle(image.tag(), image.index().digest())).isFalse();
            assertThat(proxy.scriptFailures()).isEmpty();

            faulty[0] = false;
            SignResult completed = signer(throughProxy).sign(SignRequest.builder(proxied).build());
            assertThat(completed.manifests()).extracting(SignedManifest::alreadyPresent).containsExactly(true, false);
            assertThat(completed.alreadyPresent()).isFalse();
        }
        VerificationReport all = verify(image.tag(), policy.toBuilder().requireAllPlatforms(true).identity(
                io.jenkins.plugins.imagetrust.engine.policy.IdentityRule.IGNORE).build(), null);
        assertThat(all.trusted()).as(all.summary()).isTrue();
    }

    @Test
    void aPlatformWhoseSignatureCannotBeConfirmedFailsTheSignNamingIt() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/unconfirmed");
        String swallowedPut = "/manifests/" + image.arm64().digest().signatureTag();
        AtomicInteger swallowed = new AtomicInteger();
        try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> {
            if (request.method().equals("PUT") && request.path().endsWith(swallowedPut)) {
                // "stored", but nothing reaches the registry: the write lands, its confirmation never succeeds
                swallowed.incrementAndGet();
                exchange.respond(201, new byte[0], "Docker-Content-Digest", Digest.sha256(request.body()).toString());
                return true;
            }
            return false;
        })) {
            ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/multi/unconfirmed:multi");

            IndexSigningException failed = catchThrowableOfType(() -> signer(RegistryClient.builder().build())
                    .sign(SignRequest.builder(proxied).signatureFormat(SignatureFormat.LEGACY).build()), IndexSigningException.class);

            assertThat(swallowed.get()).as("written again after each failed confirmation, bounded").isGreaterThan(1);
            assertThat(failed.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.manifest().digest()).isEqualTo(image.arm64().digest());
                assertThat(failure.reason()).contains("could not store the signature manifest at ").contains("/multi/unconfirmed:" + image.arm64().digest().signatureTag());
            });
            assertThat(failed.signed()).extracting(SignedManifest::digest).containsExactly(image.amd64().digest());
            assertThat(failed.getMessage()).contains("[linux/arm64/v8 " + image.arm64().digest()).contains("the index are signed");
            // the index was signed while the platforms settled; the platform without a signature is what runtimes check
            assertThat(hasLegacySignature(image.tag(), image.index().digest())).isTrue();
            assertThat(hasLegacySignature(image.tag(), image.amd64().digest())).isTrue();
            assertThat(hasLegacySignature(image.tag(), image.arm64().digest())).isFalse();
            assertThat(proxy.scriptFailures()).isEmpty();
        }
        VerificationReport arm64 = verify(image.tag(), policy, Platform.parse("linux/arm64/v8"));
        assertThat(arm64.trusted()).as(arm64.summary()).isFalse();
    }

    @Test
    void signingAnIndexIssuesTheRequestsOfItsSignaturesAndNoMore() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/requests");
        try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> false)) {
            ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/multi/requests:multi");
            SignResult result = signer(RegistryClient.builder().build())
                    .sign(SignRequest.builder(proxied).signatureFormat(SignatureFormat.LEGACY).build());
            assertThat(result.manifests()).hasSize(2);
            // HEAD the tag, GET the index; per signature (2 platforms, then the index): GET .sig, HEAD + POST + PUT
            // payload and config, HEAD .sig (unmoved?), PUT .sig, HEAD it after the settle delay (TagUpdate; the
            // three settle together, the index's signature written meanwhile). The attestation manifest costs nothing.
            assertThat(proxy.requests()).hasSize(2 + 3 * 10);
            assertThat(proxy.requests()).noneMatch(r -> r.path().contains(image.attestation().digest().hex()));
        }
    }

    @Test
    void signatureChecksOfEachPlatformNameTheirFormat() throws Exception {
        MultiPlatformImage image = pushMultiPlatform("multi/formats");
        signer(registry).sign(SignRequest.builder(image.tag()).signatureFormat(SignatureFormat.BUNDLE).annotations(Map.of("team", "a")).build());
        assertThat(hasLegacySignature(image.tag(), image.arm64().digest())).isFalse();
        VerificationReport arm = verify(image.tag(), policy, Platform.parse("linux/arm64/v8"));
        assertThat(arm.trusted()).isTrue();
        assertThat(arm.signatures()).extracting(SignatureCheck::format).containsOnly(SignatureFormat.BUNDLE);
    }
}
