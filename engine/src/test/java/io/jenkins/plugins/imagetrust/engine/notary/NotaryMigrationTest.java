package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration.MigratedTag;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration.Outcome;
import io.jenkins.plugins.imagetrust.engine.NotaryMigration;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migration of tags signed into {@code targets} by our publisher, against a real registry and notary-server. */
class NotaryMigrationTest {
    @RegisterExtension
    static RegistryFixture registryFixture = new RegistryFixture();
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();

    private final RegistryClient registry = RegistryClient.builder().build();
    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();
    private final Signer cosignKey = TestSigners.ecdsa();

    private NotaryServer options() {
        return NotaryServer.builder(notary.url()).caPem(notary.caPem()).rootSigner(rootKey).build();
    }

    @Test
    void eachTagIsReportedAndATagWhoseDigestTheRegistryLacksFailsAlone() throws Exception {
        ImageReference v1 = registryFixture.reference("migrate/app:v1");
        ImageReference v2 = registryFixture.reference("migrate/app:v2");
        Digest digest1 = TestImages.push(registry, v1, "one");
        Digest digest2 = TestImages.push(registry, v2, "two");
        ImageSigner dual = ImageSigner.builder().registry(registry).signer(targetsKey).notary(options()).build();
        dual.sign(SignRequest.builder(v1).build());
        dual.sign(SignRequest.builder(v2).build());
        byte[] missing = "{\"schemaVersion\":2,\"never\":\"pushed\"}".getBytes(StandardCharsets.UTF_8);
        options().publisher(io.jenkins.plugins.imagetrust.engine.events.ProgressListener.NONE).publish(
                new PublishRequest(NotaryServer.gun(v1), "ghost", Digest.sha256(missing), missing.length, targetsKey, rootKey));
        TestImages.push(registry, v2, "moved"); // the registry tag moves; Notary still signs digest2

        ImageSigner cosign = ImageSigner.builder().registry(registry).signer(cosignKey).build();
        List<MigratedTag> results = NotaryMigration.builder().notary(options()).signer(cosign).build().migrate(v1.repositoryOnly());

        assertThat(results).extracting(MigratedTag::tag).containsExactly("ghost", "v1", "v2");
        assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(0).digest()).isEqualTo(Digest.sha256(missing));
        assertThat(results.get(0).detail()).isNotBlank();
        assertThat(results.get(1)).isEqualTo(new MigratedTag("v1", digest1, Outcome.MIGRATED, digest1.signatureTag()));
        assertThat(results.get(2)).isEqualTo(new MigratedTag("v2", digest2, Outcome.MIGRATED, digest2.signatureTag()));
        ImageVerifier verifier = ImageVerifier.builder().registry(registry)
                .policy(TrustPolicy.builder().key(TrustedKey.builder("cosign", cosignKey.publicKey()).build()).build()).build();
        assertThat(verifier.verify(v1.repositoryOnly().withDigest(digest1)).trusted()).isTrue();
        assertThat(verifier.verify(v2.repositoryOnly().withDigest(digest2)).trusted()).isTrue();
        assertThat(verifier.verify(v2).trusted()).as("the moved tag was not signed by the migration").isFalse();
    }

    @Test
    void trustDataPinnedToAnotherRootStopsTheWholeMigration() throws Exception {
        ImageReference image = registryFixture.reference("migrate/pinned:v1");
        TestImages.push(registry, image, "pinned");
        ImageSigner.builder().registry(registry).signer(targetsKey).notary(options()).build().sign(SignRequest.builder(image).build());
        NotaryServer otherRoot = NotaryServer.builder(notary.url()).caPem(notary.caPem()).rootSigner(TestSigners.ecdsa()).build();

        assertThatThrownBy(() -> NotaryMigration.builder().notary(otherRoot)
                .signer(ImageSigner.builder().registry(registry).signer(cosignKey).build()).build().migrate(image))
                .isInstanceOf(UntrustedRootException.class);
    }
}
