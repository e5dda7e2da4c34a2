package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking tags and rotating the targets and delegation keys with our publisher, against one real
 * notary-server 0.7.0 + notary-signer, read back through our {@link TufVerifier} and the real notary CLI.
 */
class NotaryMaintenanceServerTest {
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();

    private static final AtomicInteger REPOSITORIES = new AtomicInteger();
    private static final byte[] MANIFEST_1 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MANIFEST_2 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"n\":2}".getBytes(StandardCharsets.UTF_8);

    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    private static String newGun() {
        return "127.0.0.1:5000/lab/maintained" + REPOSITORIES.incrementAndGet();
    }

    private static NotaryClient client() {
        return NotaryClient.builder(notary.url()).trustedCaPem(notary.caPem()).requestTimeout(Duration.ofSeconds(30)).build();
    }

    private static NotaryWriters writers() {
        return NotaryWriters.builder().client(client()).build();
    }

    private PublishResult publish(String gun, String tag, byte[] manifest, Signer signer) throws Exception {
        return writers().publisher().publish(new PublishRequest(gun, tag, Digest.sha256(manifest), manifest.length, signer, rootKey));
    }

    private TrustedRepository readPinned(String gun) throws NotaryException {
        return verifierPinned(new InMemoryTrustCache()).verify(gun);
    }

    private TufVerifier verifierPinned(TrustCache cache) {
        return TufVerifier.builder().fetcher(client()).rootPin(RootPin.rootKey(PublicKeys.toPem(rootKey.publicKey()))).cache(cache).build();
    }

    @Test
    void revokesATagFromTargets(@TempDir Path home) throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        publish(gun, "v2", MANIFEST_2, targetsKey);

        RevokeResult revoked = writers().publisher().revoke(gun, "v1", targetsKey, rootKey);

        assertThat(revoked.role()).isEqualTo(RoleNames.TARGETS);
        assertThat(revoked.roleVersion()).isEqualTo(3);
        assertThat(revoked.stillResolvesTo()).isEmpty();
        TrustedRepository repository = readPinned(gun);
        assertThatThrownBy(() -> repository.resolve("v1"))
                .isInstanceOfSatisfying(TargetNotFoundException.class, e -> assertThat(e.tag()).isEqualTo("v1"));
        assertThat(repository.resolve("v2").digest()).isEqualTo(Digest.sha256(MANIFEST_2));
        String listing = new NotaryCli(notary, home).run("list", gun);
        assertThat(listing).contains("v2").doesNotContainPattern("(?m)^\\s*v1\\s");
    }

    @Test
    void revokesATagFromTargetsReleasesAndReportsATargetsEntryItUncovers() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        Signer releasesKey = TestSigners.ecdsa();
        writers().signerDelegation().delegateReleases(gun, targetsKey, rootKey, releasesKey.publicKey());
        publish(gun, "v1", MANIFEST_2, releasesKey);
        publish(gun, "v2", MANIFEST_2, releasesKey);

        RevokeResult onlyInReleases = writers().publisher().revoke(gun, "v2", releasesKey, rootKey);
        RevokeResult shadowing = writers().publisher().revoke(gun, "v1", releasesKey, rootKey);

        assertThat(onlyInReleases.role()).isEqualTo(RoleNames.RELEASES);
        assertThat(onlyInReleases.roleVersion()).isEqualTo(3);
        assertThat(onlyInReleases.stillResolvesTo()).isEmpty();
        assertThat(shadowing.roleVersion()).isEqualTo(4);
        assertThat(shadowing.stillResolvesTo()).hasValueSatisfying(r -> {
            assertThat(r.role()).isEqualTo(RoleNames.TARGETS);
            assertThat(r.digest()).isEqualTo(Digest.sha256(MANIFEST_1));
        });
        TrustedRepository repository = readPinned(gun);
        assertThatThrownBy(() -> repository.resolve("v2")).isInstanceOf(TargetNotFoundException.class);
        assertThat(repository.resolve("v1").role()).isEqualTo(RoleNames.TARGETS);
        assertThat(repository.delegations().get(RoleNames.RELEASES).targets()).isEmpty();
    }

    @Test
    void revokingATagTheRoleDoesNotListIsAnErrorAndUploadsNothing() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);

        assertThatThrownBy(() -> writers().publisher().revoke(gun, "v9", targetsKey, rootKey))
                .isInstanceOf(NotaryException.class)
                .hasMessageContaining(gun + ":v9 is not signed in targets")
                .hasMessageContaining("nothing was revoked");
        assertThatThrownBy(() -> writers().publisher().revoke(gun, "v1", TestSigners.ecdsa(), rootKey))
                .hasMessageContaining("is not a targets key of " + gun);
        assertThat(readPinned(gun).targets().version()).isEqualTo(1);
    }

    @Test
    void rotatesTheTargetsKeyAndACachedVerifierFollowsTheNewRoot(@TempDir Path home) throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        TrustCache cache = new InMemoryTrustCache();
        TufVerifier cachedVerifier = verifierPinned(cache);
        TrustedRepository before = cachedVerifier.verify(gun);
        byte[] oldTargetsFile = client().fetch(gun, RoleNames.TARGETS, 1 << 20);
        Signer newTargetsKey = TestSigners.ecdsa();
        NotaryCli notaryCli = new NotaryCli(notary, home);
        assertThat(notaryCli.run("list", gun)).contains("v1"); // the real client now trusts root v1

        KeyRotationResult rotation = writers().keyRotation().rotateTargetsKey(gun, rootKey, newTargetsKey);

        String newKeyId = TufKey.forPublicKey(newTargetsKey.publicKey()).id();
        assertThat(rotation.newKeyId()).isEqualTo(newKeyId);
        assertThat(rotation.rootVersion()).isEqualTo(2);
        assertThat(rotation.targetsVersion()).isEqualTo(2);
        TrustedRepository after = cachedVerifier.verify(gun);
        assertThat(cache.lastVersion(gun, RoleNames.ROOT)).isEqualTo(2);
        assertThat(after.root().role(RoleNames.TARGETS).keyIds()).containsExactly(newKeyId);
        assertThat(after.root().keys()).doesNotContainKey(TufKey.forPublicKey(targetsKey.publicKey()).id());
        assertThat(after.root().role(RoleNames.ROOT)).isEqualTo(before.root().role(RoleNames.ROOT));
        assertThat(after.resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_1));

        // The old key's targets no longer verify against the new root, and the server refuses them.
        SignedMetadata oldSigned = SignedMetadata.parse(RoleNames.TARGETS, oldTargetsFile);
        assertThatThrownBy(() -> TufSignatures.requireThreshold(oldSigned, after.root().keys(), after.root().role(RoleNames.TARGETS)))
                .isInstanceOf(SignatureThresholdException.class);
        assertThatThrownBy(() -> client().publish(gun, List.of(NotaryMetadataBuilder.updatedTargets(after.targets(), "v2",
                NotaryMetadataBuilder.target(Digest.sha256(MANIFEST_2), MANIFEST_2.length), targetsKey, Instant.now()))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.detail()).contains("valid signatures did not meet threshold for targets"));
        assertThatThrownBy(() -> publish(gun, "v2", MANIFEST_2, targetsKey)).hasMessageContaining("is not a targets key of " + gun);

        assertThat(publish(gun, "v2", MANIFEST_2, newTargetsKey).roleVersion()).isEqualTo(3);
        // The real client, which trusted root v1, follows our rotation to v2 and accepts the new key's targets.
        assertThat(notaryCli.run("list", gun)).contains("v1").contains("v2");
    }

    @Test
    void rotatesTheReleasesDelegationKey(@TempDir Path home) throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        Signer oldReleasesKey = TestSigners.ecdsa();
        writers().signerDelegation().delegateReleases(gun, targetsKey, rootKey, oldReleasesKey.publicKey());
        publish(gun, "v2", MANIFEST_2, oldReleasesKey);
        Signer newReleasesKey = TestSigners.ecdsa();

        KeyRotationResult rotation = writers().keyRotation().rotateDelegationKey(gun, RoleNames.RELEASES, targetsKey, rootKey, newReleasesKey);

        String newKeyId = TufKey.forPublicKey(newReleasesKey.publicKey()).id();
        assertThat(rotation.role()).isEqualTo(RoleNames.RELEASES);
        assertThat(rotation.rootVersion()).isEqualTo(1);
        assertThat(rotation.targetsVersion()).isEqualTo(3);
        assertThat(rotation.delegationVersion()).isEqualTo(2);
        TrustedRepository repository = readPinned(gun);
        assertThat(repository.targets().delegation(RoleNames.RELEASES).orElseThrow().keys().keyIds()).containsExactly(newKeyId);
        assertThat(repository.targets().delegationKeys()).containsOnlyKeys(newKeyId);
        assertThat(repository.resolve("v2").role()).isEqualTo(RoleNames.RELEASES);

        assertThat(publish(gun, "v3", MANIFEST_1, newReleasesKey).resolution().role()).isEqualTo(RoleNames.RELEASES);
        assertThatThrownBy(() -> publish(gun, "v4", MANIFEST_1, oldReleasesKey)).hasMessageContaining("resolves through targets/releases");
        assertThat(new NotaryCli(notary, home).run("list", gun))
                .containsPattern("v2\\s+" + Digest.sha256(MANIFEST_2).hex() + "\\s+" + MANIFEST_2.length + "\\s+targets/releases")
                .containsPattern("v3\\s+\\S+\\s+\\d+\\s+targets/releases");
    }

    @Test
    void rotatesTheKeyOfADelegationThatHasSignedNothingYet() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        writers().signerDelegation().delegateReleases(gun, targetsKey, rootKey, TestSigners.ecdsa().publicKey());
        Signer newReleasesKey = TestSigners.ecdsa();

        KeyRotationResult rotation = writers().keyRotation().rotateDelegationKey(gun, RoleNames.RELEASES, targetsKey, rootKey, newReleasesKey);

        assertThat(rotation.targetsVersion()).isEqualTo(3);
        assertThat(rotation.delegationVersion()).isZero();
        assertThat(publish(gun, "v2", MANIFEST_2, newReleasesKey).roleVersion()).isEqualTo(1);
        assertThatThrownBy(() -> writers().keyRotation().rotateDelegationKey(gun, RoleNames.RELEASES, targetsKey, rootKey, newReleasesKey))
                .hasMessageContaining("already is the key of targets/releases");
        assertThatThrownBy(() -> writers().keyRotation().rotateDelegationKey(gun, "targets/alice", targetsKey, rootKey, newReleasesKey))
                .hasMessageContaining("delegates no role targets/alice");
        assertThat(readPinned(gun).targets().version()).isEqualTo(3);
    }

    @Test
    void aRotationSignedWithoutTheRootKeyIsRejectedByTheServerWhichKeepsItsState() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        TrustedRepository before = readPinned(gun);
        Signer newTargetsKey = TestSigners.ecdsa();
        String certificateKeyId = before.root().role(RoleNames.ROOT).keyIds().get(0);
        // Someone holding only the targets key signs the new root in the root key's name.
        List<Multipart.Part> forged = List.of(
                NotaryMetadataBuilder.rotatedRoot(before.root(), RoleNames.TARGETS, TufKey.forPublicKey(newTargetsKey.publicKey()), targetsKey, certificateKeyId),
                NotaryMetadataBuilder.resigned(RoleNames.TARGETS, before.targets(), newTargetsKey, Instant.now()));

        assertThatThrownBy(() -> client().publish(gun, forged))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).contains("INVALID_UPDATE");
                    assertThat(e.detail()).contains("ErrBadRoot").contains("could not rotate trust to a new trusted root");
                    assertThat(e.getMessage()).contains(e.detail());
                });
        // Our publisher does not even send it: the given "root key" is not the pinned one.
        assertThatThrownBy(() -> writers().keyRotation().rotateTargetsKey(gun, targetsKey, newTargetsKey)).isInstanceOf(UntrustedRootException.class);

        TrustedRepository after = readPinned(gun);
        assertThat(after.root().version()).isEqualTo(1);
        assertThat(after.root().role(RoleNames.TARGETS).keyIds()).isEqualTo(before.root().role(RoleNames.TARGETS).keyIds());
        assertThat(after.targets().version()).isEqualTo(1);
        assertThat(after.resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_1));
    }

    @Test
    void aNamedSignerSignsIntoReleasesAndItsOwnRoleAndRevokesFromBoth(@TempDir Path home) throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey);
        Signer aliceKey = TestSigners.ecdsa();
        Signer bobKey = TestSigners.ecdsa();
        String aliceKeyId = TufKey.forPublicKey(aliceKey.publicKey()).id();

        writers().signerDelegation().addSigner(gun, "alice", aliceKey.publicKey(), targetsKey, rootKey);
        writers().signerDelegation().addSigner(gun, "bob", bobKey.publicKey(), targetsKey, rootKey);

        TrustedRepository delegated = readPinned(gun);
        assertThat(delegated.targets().delegation("targets/alice").orElseThrow().keys().keyIds()).containsExactly(aliceKeyId);
        assertThat(delegated.targets().delegation(RoleNames.RELEASES).orElseThrow().keys().keyIds())
                .containsExactly(aliceKeyId, TufKey.forPublicKey(bobKey.publicKey()).id());
        assertThat(delegated.targets().delegation("targets/alice").orElseThrow().paths()).containsExactly("");

        PublishResult signed = publish(gun, "v2", MANIFEST_2, aliceKey);

        assertThat(signed.resolution().role()).isEqualTo(RoleNames.RELEASES);
        assertThat(signed.resolution().signedBy()).containsExactly(RoleNames.RELEASES, "targets/alice");
        assertThat(signed.resolution().signerNames()).containsExactly("alice");
        assertThat(publish(gun, "v2", MANIFEST_2, aliceKey).alreadyPresent()).isTrue();
        PublishResult bobToo = publish(gun, "v2", MANIFEST_2, bobKey); // releases already lists it: only bob's role is new
        assertThat(bobToo.resolution().signerNames()).containsExactlyInAnyOrder("alice", "bob");
        TrustedRepository repository = readPinned(gun);
        assertThat(repository.delegations().get("targets/alice").targets()).containsOnlyKeys("v2");
        assertThat(repository.delegations().get("targets/bob").targets()).containsOnlyKeys("v2");
        assertThat(new NotaryCli(notary, home).run("list", gun, "--roles", "targets/alice")).containsPattern("v2\\s+" + Digest.sha256(MANIFEST_2).hex());

        RevokeResult revoked = writers().publisher().revoke(gun, "v2", aliceKey, rootKey);

        assertThat(revoked.revokedFrom()).containsExactly(RoleNames.RELEASES, "targets/alice");
        TrustedRepository after = readPinned(gun);
        assertThat(after.delegations().get("targets/alice").targets()).isEmpty();
        assertThat(after.delegations().get(RoleNames.RELEASES).targets()).isEmpty();
        assertThat(after.delegations().get("targets/bob").targets()).containsOnlyKeys("v2"); // bob's own signature is bob's to revoke
        assertThatThrownBy(() -> after.resolve("v2")).isInstanceOf(TargetNotFoundException.class);

        assertThatThrownBy(() -> writers().signerDelegation().addSigner(gun, "releases", aliceKey.publicKey(), targetsKey, rootKey)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> writers().signerDelegation().addSigner(gun, "Alice", aliceKey.publicKey(), targetsKey, rootKey)).hasMessageContaining("signer name 'Alice'");
        assertThatThrownBy(() -> writers().signerDelegation().addSigner(gun, "carol", aliceKey.publicKey(), aliceKey, rootKey)).hasMessageContaining("is not a targets key");
    }
}
