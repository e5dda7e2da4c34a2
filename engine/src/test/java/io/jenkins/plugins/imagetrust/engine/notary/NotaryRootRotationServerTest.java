package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.TufSignatures.SigningKey;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the root key with our publisher against one real notary-server 0.7.0 + notary-signer: clients that
 * trusted the old root (our {@link TufVerifier}, the real {@code notary} client) follow the new root; rotations
 * that lack either signature, and an old root served again, are refused by the server and by our verifier.
 */
class NotaryRootRotationServerTest {
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();

    private static final AtomicInteger REPOSITORIES = new AtomicInteger();
    private static final byte[] MANIFEST_1 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"r\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MANIFEST_2 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"r\":2}".getBytes(StandardCharsets.UTF_8);

    private final Signer oldRootKey = TestSigners.ecdsa();
    private final Signer newRootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    private static String newGun() {
        return "127.0.0.1:5000/lab/rootrotated" + REPOSITORIES.incrementAndGet();
    }

    private static NotaryClient client() {
        return NotaryClient.builder(notary.url()).trustedCaPem(notary.caPem()).requestTimeout(Duration.ofSeconds(30)).build();
    }

    private static NotaryWriters writers() {
        return NotaryWriters.builder().client(client()).build();
    }

    private static PublishResult publish(String gun, String tag, byte[] manifest, Signer targets, Signer root) throws Exception {
        return writers().publisher().publish(new PublishRequest(gun, tag, Digest.sha256(manifest), manifest.length, targets, root));
    }

    private static TufVerifier verifier(MetadataFetcher fetcher, RootPin pin, TrustCache cache) {
        return TufVerifier.builder().fetcher(fetcher).rootPin(pin).cache(cache).build();
    }

    private static RootPin pinnedKey(Signer rootKey) {
        return RootPin.rootKey(PublicKeys.toPem(rootKey.publicKey()));
    }

    /** The real server's files, but {@code root.json} replaced (what a compromised or replaying server could serve). */
    private static MetadataFetcher serving(byte[] rootJson) {
        NotaryClient real = client();
        return (gun, name, maxBytes) -> RoleNames.ROOT.equals(name) ? rootJson.clone() : real.fetch(gun, name, maxBytes);
    }

    /** Root v(N+1) with {@code newRootKey}'s certificate as the root role, signed by exactly {@code signers}. */
    private byte[] nextRootSignedBy(String gun, RootMetadata current, List<Signer> signers) throws Exception {
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TufKey newCertificateKey = TufKey.forCertificate(NotaryRootCertificate.create(newRootKey, gun, issued));
        RootMetadata next = current.withRoleKey(RoleNames.ROOT, newCertificateKey, issued.plus(NotaryRootCertificate.VALIDITY));
        String oldCertificateKeyId = current.role(RoleNames.ROOT).keyIds().get(0);
        List<SigningKey> keys = signers.stream()
                .map(s -> new SigningKey(s, s == newRootKey ? newCertificateKey.id() : oldCertificateKeyId)).toList();
        return TufSignatures.signEnvelope(next.toJson(), keys);
    }

    @Test
    void rotatesTheRootKeyAndClientsThatTrustedTheOldRootFollow(@TempDir Path home) throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey, oldRootKey);
        byte[] oldRootFile = client().fetch(gun, RoleNames.ROOT, 1 << 20);
        TrustCache cache = new InMemoryTrustCache();
        TufVerifier cachedVerifier = verifier(client(), RootPin.rootFile(oldRootFile), cache);
        TrustedRepository before = cachedVerifier.verify(gun);
        NotaryCli notaryCli = new NotaryCli(notary, home);
        assertThat(notaryCli.run("list", gun)).contains("v1"); // the real client now trusts root v1

        KeyRotationResult rotation = writers().keyRotation().rotateRootKey(gun, oldRootKey, newRootKey);

        assertThat(rotation.role()).isEqualTo(RoleNames.ROOT);
        assertThat(rotation.rootVersion()).isEqualTo(2);
        assertThat(rotation.targetsVersion()).isEqualTo(1);
        // (a) our verifier, trusting root v1 through its cache, walks to v2 (signed by v1's key and v2's own).
        TrustedRepository after = cachedVerifier.verify(gun);
        assertThat(cache.lastVersion(gun, RoleNames.ROOT)).isEqualTo(2);
        assertThat(after.root().role(RoleNames.ROOT).keyIds()).containsExactly(rotation.newKeyId());
        assertThat(after.root().keys()).doesNotContainKeys(before.root().role(RoleNames.ROOT).keyIds().toArray(String[]::new));
        assertThat(after.root().role(RoleNames.TARGETS)).isEqualTo(before.root().role(RoleNames.TARGETS));
        X509Certificate certificate = after.root().keys().get(rotation.newKeyId()).certificate().orElseThrow();
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + gun));
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(newRootKey.publicKey().getEncoded());
        assertThat(SignedMetadata.parse(RoleNames.ROOT, client().fetch(gun, RoleNames.ROOT, 1 << 20)).signatures()).hasSize(2);
        assertThat(after.resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_1));
        // A fresh verifier pinned to the old root.json follows too; one pinned to the old root key no longer does.
        assertThat(verifier(client(), RootPin.rootFile(oldRootFile), new InMemoryTrustCache()).verify(gun).root().version()).isEqualTo(2);
        assertThatThrownBy(() -> verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun))
                .isInstanceOf(UntrustedRootException.class).hasMessageContaining("does not list the pinned root key");

        // (b) the real notary client with its old trust folder accepts the rotation.
        assertThat(notaryCli.run("list", gun)).containsPattern("v1\\s+" + Digest.sha256(MANIFEST_1).hex());
        assertThat(notaryCli.run("lookup", gun, "v1")).contains(Digest.sha256(MANIFEST_1).hex());
        byte[] clientTrustedRoot = java.nio.file.Files.readAllBytes(home.resolve("trust/tuf").resolve(gun).resolve("metadata/root.json"));
        assertThat(RootMetadata.from(SignedMetadata.parse(RoleNames.ROOT, clientTrustedRoot)).version()).isEqualTo(2);

        // From now on the new root key pins the repository; the old one is refused before anything is signed.
        assertThat(publish(gun, "v2", MANIFEST_2, targetsKey, newRootKey).roleVersion()).isEqualTo(2);
        assertThatThrownBy(() -> publish(gun, "v3", MANIFEST_2, targetsKey, oldRootKey)).isInstanceOf(UntrustedRootException.class);
        assertThatThrownBy(() -> writers().keyRotation().rotateRootKey(gun, newRootKey, newRootKey)).hasMessageContaining("already is a root key of " + gun);
        assertThat(notaryCli.run("list", gun)).contains("v1").contains("v2");
    }

    @Test
    void aRootSignedOnlyByTheNewKeyIsRefusedByTheServerAndByOurVerifier() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey, oldRootKey);
        byte[] oldRootFile = client().fetch(gun, RoleNames.ROOT, 1 << 20);
        TrustedRepository before = verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun);
        byte[] newKeyOnly = nextRootSignedBy(gun, before.root(), List.of(newRootKey));

        assertThatThrownBy(() -> client().publish(gun, List.of(new Multipart.Part(RoleNames.ROOT, newKeyOnly))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).contains("ErrBadRoot").contains("failed to validate data with current trusted certificates");
                });
        assertThatThrownBy(() -> verifier(serving(newKeyOnly), RootPin.rootFile(oldRootFile), new InMemoryTrustCache()).verify(gun))
                .isInstanceOfSatisfying(UntrustedRootException.class, e -> {
                    assertThat(e.role()).isEqualTo(RoleNames.ROOT);
                    assertThat(e.getMessage()).contains("root v2 is not signed by the trusted root v1");
                });

        // The server kept root v1 with the old key: it still verifies, pinned to that key.
        TrustedRepository after = verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun);
        assertThat(after.root().version()).isEqualTo(1);
        assertThat(after.root().role(RoleNames.ROOT)).isEqualTo(before.root().role(RoleNames.ROOT));
    }

    @Test
    void aRootSignedOnlyByTheOldKeyIsRefusedByTheServerAndByOurVerifier() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey, oldRootKey);
        byte[] oldRootFile = client().fetch(gun, RoleNames.ROOT, 1 << 20);
        TrustedRepository before = verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun);
        byte[] oldKeyOnly = nextRootSignedBy(gun, before.root(), List.of(oldRootKey));

        assertThatThrownBy(() -> client().publish(gun, List.of(new Multipart.Part(RoleNames.ROOT, oldKeyOnly))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> verifier(serving(oldKeyOnly), RootPin.rootFile(oldRootFile), new InMemoryTrustCache()).verify(gun))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("root v2 is not signed by its own root keys");
        assertThat(verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun).root().version()).isEqualTo(1);
    }

    @Test
    void anOldRootServedAgainAfterARotationIsARollback() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey, oldRootKey);
        byte[] oldRootFile = client().fetch(gun, RoleNames.ROOT, 1 << 20);
        TrustCache cache = new InMemoryTrustCache();
        verifier(client(), RootPin.rootFile(oldRootFile), cache).verify(gun);
        writers().keyRotation().rotateRootKey(gun, oldRootKey, newRootKey);
        verifier(client(), RootPin.rootFile(oldRootFile), cache).verify(gun);

        // A server (or a man in the middle) replaying root v1, still validly signed by the old key.
        assertThatThrownBy(() -> verifier(serving(oldRootFile), RootPin.rootFile(oldRootFile), cache).verify(gun))
                .isInstanceOfSatisfying(RollbackException.class, e -> {
                    assertThat(e.role()).isEqualTo(RoleNames.ROOT);
                    assertThat(e.getMessage()).contains("2").contains("1");
                });
        // notary-server refuses to go back to root v1 as well.
        assertThatThrownBy(() -> client().publish(gun, List.of(new Multipart.Part(RoleNames.ROOT, oldRootFile))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(verifier(client(), pinnedKey(newRootKey), new InMemoryTrustCache()).verify(gun).root().version()).isEqualTo(2);
    }

    @Test
    void aRootKeyThatIsNotTheRepositorysIsRefusedBeforeAnythingIsSent() throws Exception {
        String gun = newGun();
        publish(gun, "v1", MANIFEST_1, targetsKey, oldRootKey);

        assertThatThrownBy(() -> writers().keyRotation().rotateRootKey(gun, targetsKey, newRootKey)).isInstanceOf(UntrustedRootException.class);
        assertThatThrownBy(() -> writers().keyRotation().rotateRootKey(gun, oldRootKey, TestSigners.ed25519()))
                .isInstanceOf(KeyException.class).hasMessageContaining("must be an ECDSA key");
        assertThat(verifier(client(), pinnedKey(oldRootKey), new InMemoryTrustCache()).verify(gun).root().version()).isEqualTo(1);
    }
}
