package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture.CommandResult;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code DOCKER_CONTENT_TRUST=1 docker pull} (docker CLI + a private dockerd, docker-registry, notary-server
 * + notary-signer 0.7.0) makes of our maintenance operations: a root key rotation seen by a client that trusted
 * the old root, a revoked tag, and a signer added like {@code docker trust signer add} ({@code docker trust inspect}).
 */
class DockerContentTrustMaintenanceTest {
    @RegisterExtension
    static RegistryFixture registryFixture = new RegistryFixture();
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();
    @RegisterExtension
    static DockerdFixture dockerd = new DockerdFixture();

    private final RegistryClient registry = RegistryClient.builder().build();
    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    @TempDir
    Path dockerConfig;

    private static NotaryWriters writers() {
        return NotaryWriters.builder()
                .client(NotaryClient.builder(notary.url()).trustedCaPem(notary.caPem()).requestTimeout(Duration.ofSeconds(30)).build())
                .build();
    }

    /** Builds a distinct scratch image in dockerd, pushes it without content trust, and signs it into Notary with our publisher. */
    private Digest pushAndPublish(ImageReference image, Signer signer, Signer root) throws Exception {
        dockerd.buildScratchImage(image.toString(), image + " " + System.nanoTime());
        dockerd.docker("push", image.toString()).assertSuccess();
        Descriptor pushed = registry.resolve(image);
        writers().publisher().publish(new PublishRequest(NotaryServer.gun(image), image.tag().orElseThrow(), pushed.digest(), pushed.size(), signer, root));
        dockerd.docker("rmi", image.toString()).assertSuccess();
        return pushed.digest();
    }

    private static long cachedRootVersion(TrustedDockerCli docker, String gun) throws Exception {
        byte[] root = Files.readAllBytes(docker.trustDirectory().resolve("tuf").resolve(gun).resolve("metadata/root.json"));
        return RootMetadata.from(SignedMetadata.parse(RoleNames.ROOT, root)).version();
    }

    @Test
    void dockerPullFollowsOurRootKeyRotationFromTheRootItTrusted() throws Exception {
        ImageReference v1 = registryFixture.reference("dct-maint/rerooted:v1");
        ImageReference v2 = registryFixture.reference("dct-maint/rerooted:v2");
        String gun = NotaryServer.gun(v1);
        Digest digest1 = pushAndPublish(v1, targetsKey, rootKey);
        TrustedDockerCli docker = new TrustedDockerCli(dockerd, notary, dockerConfig);
        CommandResult first = docker.run("pull", v1.toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(cachedRootVersion(docker, gun)).isEqualTo(1); // docker now trusts root v1 (TOFU)
        dockerd.docker("rmi", v1.toString()).assertSuccess();

        Signer newRootKey = TestSigners.ecdsa();
        writers().keyRotation().rotateRootKey(gun, rootKey, newRootKey);
        Digest digest2 = pushAndPublish(v2, targetsKey, newRootKey);

        // The same trust folder: docker checks root v2 against the root v1 it pinned, and accepts it.
        CommandResult again = docker.run("pull", v1.toString());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains(digest1.toString());
        CommandResult newTag = docker.run("pull", v2.toString());
        assertThat(newTag.exitCode()).as(newTag.output()).isZero();
        assertThat(newTag.output()).contains(digest2.toString());
        assertThat(cachedRootVersion(docker, gun)).isEqualTo(2);
    }

    @Test
    void dockerPullRefusesATagWeRevoked() throws Exception {
        ImageReference v1 = registryFixture.reference("dct-maint/revoked:v1");
        ImageReference v2 = registryFixture.reference("dct-maint/revoked:v2");
        String gun = NotaryServer.gun(v1);
        Digest digest1 = pushAndPublish(v1, targetsKey, rootKey);
        pushAndPublish(v2, targetsKey, rootKey);
        TrustedDockerCli docker = new TrustedDockerCli(dockerd, notary, dockerConfig);
        CommandResult accepted = docker.run("pull", v1.toString());
        assertThat(accepted.exitCode()).as(accepted.output()).isZero();
        assertThat(accepted.output()).contains(digest1.toString());
        dockerd.docker("rmi", v1.toString()).assertSuccess();

        RevokeResult revoked = writers().publisher().revoke(gun, "v1", targetsKey, rootKey);
        assertThat(revoked.stillResolvesTo()).isEmpty();

        // Same trust folder as the accepted pull: docker's cached targets (which list v1) do not save the tag.
        CommandResult refused = docker.run("pull", v1.toString());
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("No valid trust data for v1");
        assertThat(dockerd.docker("image", "inspect", v1.toString()).exitCode()).isNotZero();
        CommandResult other = docker.run("pull", v2.toString());
        assertThat(other.exitCode()).as(other.output()).isZero();
    }

    @Test
    void dockerTrustInspectListsTheSignerWeAddedAndDockerPullsWhatTheSignerSigned() throws Exception {
        ImageReference base = registryFixture.reference("dct-maint/signers:base");
        ImageReference v1 = registryFixture.reference("dct-maint/signers:v1");
        String gun = NotaryServer.gun(v1);
        pushAndPublish(base, targetsKey, rootKey); // initialises the repository; base is signed in targets
        Signer aliceKey = TestSigners.ecdsa();
        String aliceKeyId = TufKey.forPublicKey(aliceKey.publicKey()).id();
        writers().signerDelegation().addSigner(gun, "alice", aliceKey.publicKey(), targetsKey, rootKey);

        Digest digest = pushAndPublish(v1, aliceKey, rootKey);

        TrustedDockerCli docker = new TrustedDockerCli(dockerd, notary, dockerConfig);
        CommandResult inspected = docker.run("trust", "inspect", "--pretty", v1.repositoryOnly().toString());
        assertThat(inspected.exitCode()).as(inspected.output()).isZero();
        String text = inspected.stdout();
        assertThat(text).containsPattern("(?m)^v1\\s+" + digest.hex() + "\\s+alice\\s*$");
        assertThat(text).containsPattern("(?m)^base\\s+\\S+\\s+\\(Repo Admin\\)\\s*$");
        assertThat(text).contains("List of signers and their keys for " + gun);
        assertThat(text).containsPattern("(?m)^alice\\s+" + aliceKeyId.substring(0, 12));
        // Our own reading agrees: the tag resolves through releases and is signed by alice's role too.
        TrustedRepository ours = TufVerifier.builder().fetcher(NotaryClient.builder(notary.url()).trustedCaPem(notary.caPem()).build())
                .rootPin(RootPin.rootKey(PublicKeys.toPem(rootKey.publicKey()))).cache(new InMemoryTrustCache()).build().verify(gun);
        assertThat(ours.resolve("v1").signerNames()).containsExactly("alice");
        assertThat(text).contains("Repository Key:\t" + TufKey.forPublicKey(targetsKey.publicKey()).id());
        assertThat(text).contains("Root Key:\t" + ours.root().role(RoleNames.ROOT).keyIds().get(0));
        CommandResult pulled = docker.run("pull", v1.toString());
        assertThat(pulled.exitCode()).as(pulled.output()).isZero();
        assertThat(pulled.output()).contains(digest.toString());
    }
}
