package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration.MigratedTag;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration.Outcome;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration;
import io.jenkins.plugins.imagetrust.engine.NotaryVerification;
import io.jenkins.plugins.imagetrust.engine.NotaryVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture.CommandResult;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Content Trust end to end with real peers: docker-registry, notary-server + notary-signer 0.7.0 over TLS,
 * and a private dockerd with the docker CLI. What we publish, {@code DOCKER_CONTENT_TRUST=1 docker pull} accepts;
 * what {@code docker trust sign} publishes, we verify and migrate to cosign signatures.
 */
class DockerContentTrustAcceptanceTest {
    @RegisterExtension
    static RegistryFixture registryFixture = new RegistryFixture();
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();
    @RegisterExtension
    static DockerdFixture dockerd = new DockerdFixture();

    private final RegistryClient registry = RegistryClient.builder().build();
    private final Signer cosignKey = TestSigners.ecdsa();

    @TempDir
    Path dockerConfig;

    private NotaryServer.Builder options() {
        return NotaryServer.builder(notary.url()).caPem(notary.caPem());
    }

    private ImageVerifier cosignVerifier() {
        return ImageVerifier.builder().registry(registry)
                .policy(TrustPolicy.builder().key(TrustedKey.builder("release", cosignKey.publicKey()).build()).build()).build();
    }

    /** Builds a distinct scratch image in dockerd and pushes it (no content trust); returns the registry's digest. */
    private Digest buildAndPush(ImageReference image) throws Exception {
        dockerd.buildScratchImage(image.toString(), image + " " + System.nanoTime());
        dockerd.docker("push", image.toString()).assertSuccess();
        return registry.resolve(image).digest();
    }

    @Test
    void dockerPullWithContentTrustAcceptsWhatImageSignerPublishedAndRefusesAnUnsignedTag() throws Exception {
        ImageReference image = registryFixture.reference("dct/app:v1");
        ImageReference unsigned = registryFixture.reference("dct/app:unsigned");
        Digest digest = buildAndPush(image);
        buildAndPush(unsigned);
        Signer rootKey = TestSigners.ecdsa();

        SignResult result = ImageSigner.builder().registry(registry).signer(cosignKey)
                .notary(options().rootSigner(rootKey).build()).build()
                .sign(SignRequest.builder(image).build());

        assertThat(result.digest()).isEqualTo(digest);
        assertThat(result.notary()).isPresent();
        assertThat(result.notary().get().initialised()).isTrue();
        assertThat(result.notary().get().resolution().digest()).isEqualTo(digest);
        assertThat(result.notary().get().resolution().role()).isEqualTo(RoleNames.TARGETS);

        dockerd.docker("rmi", image.toString(), unsigned.toString()).assertSuccess();
        CommandResult pulled = trustedDocker("pull", image.toString());
        assertThat(pulled.exitCode()).as(pulled.output()).isZero();
        assertThat(pulled.output()).contains(digest.toString());
        String repoDigests = dockerd.docker("image", "inspect", "--format", "{{json .RepoDigests}}", image.toString()).assertSuccess().stdout();
        assertThat(repoDigests).contains(image.repositoryOnly().withDigest(digest).pinned());

        CommandResult refused = trustedDocker("pull", unsigned.toString());
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("No valid trust data for unsigned");

        // Our facade agrees with docker: the tag resolves through pinned TUF data, and the digest is cosign-signed.
        NotaryVerification verified = NotaryVerifier.builder().notary(options().rootPin(RootPin.rootKey(
                io.jenkins.plugins.imagetrust.engine.keys.PublicKeys.toPem(rootKey.publicKey()))).build())
                .registry(registry).imageVerifier(cosignVerifier()).build().verify(image);
        assertThat(verified.resolution().digest()).isEqualTo(digest);
        assertThat(verified.trusted()).isTrue();
        assertThat(verified.cosign().orElseThrow().trusted()).isTrue();
        assertThatThrownBy(() -> NotaryVerifier.builder().notary(options().rootSigner(rootKey).build()).build().verify(unsigned))
                .isInstanceOf(TargetNotFoundException.class);
        // A different root key is not the pinned one: the repository is refused even though docker (TOFU) would take it.
        assertThatThrownBy(() -> NotaryVerifier.builder().notary(options().rootSigner(TestSigners.ecdsa()).build()).build().verify(image))
                .isInstanceOf(UntrustedRootException.class);
    }

    /**
     * Issue 13: two signers publishing different tags of one repository at the same moment (separate registry clients
     * and Notary connections, as two pipelines) both end up signed for the real docker CLI: notary-server refuses the
     * stale one of two uploads, which re-reads and re-signs; neither reports success for a tag that is not there.
     */
    @Test
    void twoConcurrentPublishesOfDifferentTagsBothPullWithContentTrust() throws Exception {
        Signer rootKey = TestSigners.ecdsa();
        ImageReference base = registryFixture.reference("dct/concurrent:base");
        buildAndPush(base);
        ImageSigner.builder().registry(registry).signer(cosignKey).notary(options().rootSigner(rootKey).build()).build()
                .sign(SignRequest.builder(base).build()); // initialises the repository
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 2; round++) {
                List<ImageReference> tags = List.of(registryFixture.reference("dct/concurrent:r" + round + "-a"),
                        registryFixture.reference("dct/concurrent:r" + round + "-b"));
                List<Digest> digests = new java.util.ArrayList<>();
                for (ImageReference tag : tags) {
                    digests.add(buildAndPush(tag));
                }
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(tags.size());
                List<java.util.concurrent.Callable<SignResult>> signs = new java.util.ArrayList<>();
                for (ImageReference tag : tags) {
                    ImageSigner own = ImageSigner.builder().registry(RegistryClient.builder().build()).signer(cosignKey)
                            .notary(options().rootSigner(rootKey).build()).build();
                    signs.add(() -> {
                        start.await();
                        return own.sign(SignRequest.builder(tag).build());
                    });
                }
                List<java.util.concurrent.Future<SignResult>> results = pool.invokeAll(signs);
                for (int i = 0; i < tags.size(); i++) {
                    SignResult result = results.get(i).get();
                    assertThat(result.notary()).as(tags.get(i).toString()).isPresent();
                    assertThat(result.notary().get().resolution().digest()).isEqualTo(digests.get(i));
                }
                for (int i = 0; i < tags.size(); i++) {
                    ImageReference tag = tags.get(i);
                    dockerd.docker("rmi", tag.toString()).assertSuccess();
                    CommandResult pulled = trustedDocker("pull", tag.toString());
                    assertThat(pulled.exitCode()).as("round " + round + ", " + tag + ": " + pulled.output()).isZero();
                    assertThat(pulled.output()).contains(digests.get(i).toString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void imageSignerRefusesToInitialiseNotaryWithoutARootKeyAfterStoringTheCosignSignature() throws Exception {
        ImageReference image = registryFixture.reference("dct/noroot:v1");
        buildAndPush(image);

        assertThatThrownBy(() -> ImageSigner.builder().registry(registry).signer(cosignKey).notary(options().build()).build()
                .sign(SignRequest.builder(image).build()))
                .hasMessageContaining("publishing " + NotaryServer.gun(image) + ":v1 to Notary")
                .hasMessageContaining("initialising it needs the root key");
        assertThat(cosignVerifier().verify(image).trusted()).isTrue();
    }

    @Test
    void ourVerifierReadsWhatDockerTrustSignPublishedAndMigratesItToCosign() throws Exception {
        ImageReference v1 = registryFixture.reference("dct/legacy:v1");
        ImageReference v2 = registryFixture.reference("dct/legacy:v2");
        DockerdFixture.writeRegistryLogin(dockerConfig, registryFixture.host(), "labsigner");
        for (ImageReference image : List.of(v1, v2)) {
            dockerd.buildScratchImage(image.toString(), image + " " + System.nanoTime());
            CommandResult signed = trustedDocker("trust", "sign", image.toString());
            assertThat(signed.exitCode()).as(signed.output()).isZero();
        }
        Digest digest1 = registry.resolve(v1).digest();
        Digest digest2 = registry.resolve(v2).digest();
        NotaryServer tofu = options().rootPin(RootPin.trustOnFirstUse()).build();

        NotaryVerification resolved = NotaryVerifier.builder().notary(tofu).registry(registry).build().verify(v1);
        assertThat(resolved.resolution().digest()).isEqualTo(digest1);
        assertThat(resolved.resolution().role()).isEqualTo(RoleNames.RELEASES);
        assertThat(resolved.resolution().signerNames()).containsExactly("labsigner"); // what docker trust inspect calls the signer
        assertThat(resolved.cosign()).isEmpty();
        assertThat(cosignVerifier().verify(v1).trusted()).isFalse();

        ImageSigner cosign = ImageSigner.builder().registry(registry).signer(cosignKey).build();
        NotaryMigration migration = NotaryMigration.builder().notary(tofu).signer(cosign).build();
        List<MigratedTag> first = migration.migrate(v1.repositoryOnly());

        assertThat(first).extracting(MigratedTag::tag, MigratedTag::digest, MigratedTag::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", digest1, Outcome.MIGRATED),
                        org.assertj.core.groups.Tuple.tuple("v2", digest2, Outcome.MIGRATED));
        assertThat(cosignVerifier().verify(v1).trusted()).isTrue();
        assertThat(cosignVerifier().verify(v2).trusted()).isTrue();
        assertThat(migration.migrate(v1.repositoryOnly())).extracting(MigratedTag::outcome)
                .containsExactly(Outcome.ALREADY_SIGNED, Outcome.ALREADY_SIGNED);
    }

    /** The docker CLI against the fixture's dockerd with content trust on, our Notary server, and this test's trust folder. */
    private CommandResult trustedDocker(String... args) {
        return dockerd.trustedDocker(dockerConfig, notary.url(), args);
    }
}
