package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Our publisher and verifier against a real notary-server 0.7.0 + notary-signer, checked by the real notary CLI. */
class NotaryPublisherServerTest {
    @RegisterExtension
    static NotaryFixture notary = new NotaryFixture();

    private static final AtomicInteger REPOSITORIES = new AtomicInteger();
    private static final byte[] MANIFEST_1 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MANIFEST_2 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"x\":2}".getBytes(StandardCharsets.UTF_8);

    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    private static String newGun() {
        return "127.0.0.1:5000/lab/app" + REPOSITORIES.incrementAndGet();
    }

    private static NotaryClient client() {
        return NotaryClient.builder(notary.url()).trustedCaPem(notary.caPem()).requestTimeout(Duration.ofSeconds(30)).build();
    }

    private static NotaryWriters writers() {
        return NotaryWriters.builder().client(client()).build();
    }

    private PublishRequest request(String gun, String tag, byte[] manifest) {
        return new PublishRequest(gun, tag, Digest.sha256(manifest), manifest.length, targetsKey, rootKey);
    }

    private static TrustedRepository readWithFreshTrust(String gun) throws NotaryException {
        return TufVerifier.builder().fetcher(client()).rootPin(RootPin.trustOnFirstUse()).build().verify(gun);
    }

    @Test
    void publishesANewRepositoryThatOurVerifierAndTheNotaryCliRead(@TempDir Path trustDir) throws Exception {
        String gun = newGun();

        PublishResult result = writers().publisher().publish(request(gun, "v1", MANIFEST_1));

        assertThat(result.initialised()).isTrue();
        assertThat(result.alreadyPresent()).isFalse();
        assertThat(result.roleVersion()).isEqualTo(1);
        TargetResolution resolution = readWithFreshTrust(gun).resolve("v1");
        assertThat(resolution.digest()).isEqualTo(Digest.sha256(MANIFEST_1));
        assertThat(resolution.length()).isEqualTo(MANIFEST_1.length);
        assertThat(resolution.role()).isEqualTo("targets");

        String listing = notaryCli(trustDir, "list", gun);
        assertThat(listing).containsPattern("v1\\s+" + Digest.sha256(MANIFEST_1).hex() + "\\s+" + MANIFEST_1.length + "\\s+targets");
    }

    /**
     * Every publisher and verifier one {@link NotaryServer} hands out shares one HTTP client: its TLS context is
     * built once and its kept-alive connection serves them all, so all their requests arrive from one client port
     * (one TLS handshake), where a client each would connect afresh.
     */
    @Test
    void publishersOfOneOptionsShareOneConnection() throws Exception {
        String gun = newGun();
        NotaryServer options = NotaryServer.builder(notary.url()).caPem(notary.caPem()).rootSigner(rootKey).build();

        options.publisher(ProgressListener.NONE).publish(request(gun, "v1", MANIFEST_1));
        options.publisher(ProgressListener.NONE).publish(request(gun, "v2", MANIFEST_2));
        TrustedRepository read = options.verifier(ProgressListener.NONE).verify(gun);

        assertThat(read.resolve("v2").digest()).isEqualTo(Digest.sha256(MANIFEST_2));
        Matcher requests = Pattern.compile("\"http\\.request\\.remoteaddr\":\"127\\.0\\.0\\.1:(\\d+)\",\"http\\.request\\.uri\":\"/v2/"
                + Pattern.quote(gun) + "/").matcher(notary.serverLog());
        Set<String> clientPorts = new HashSet<>();
        int count = 0;
        while (requests.find()) {
            clientPorts.add(requests.group(1));
            count++;
        }
        assertThat(count).as("requests for " + gun).isGreaterThanOrEqualTo(15);
        assertThat(clientPorts).as("client ports of the requests for " + gun).hasSize(1);
    }

    @Test
    void addsAndReplacesTagsInTheExistingTargets(@TempDir Path trustDir) throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));

        PublishResult second = writers().publisher().publish(request(gun, "v2", MANIFEST_2));
        PublishResult again = writers().publisher().publish(request(gun, "v2", MANIFEST_2));
        PublishResult replaced = writers().publisher().publish(request(gun, "v1", MANIFEST_2));

        assertThat(second.initialised()).isFalse();
        assertThat(second.roleVersion()).isEqualTo(2);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(again.roleVersion()).isEqualTo(2);
        assertThat(replaced.roleVersion()).isEqualTo(3);
        TrustedRepository repository = readWithFreshTrust(gun);
        assertThat(repository.resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_2));
        assertThat(repository.resolve("v2").digest()).isEqualTo(Digest.sha256(MANIFEST_2));
        String listing = notaryCli(trustDir, "list", gun);
        assertThat(listing).contains("v1").contains("v2").contains(Digest.sha256(MANIFEST_2).hex());
    }

    @Test
    void signsIntoTargetsReleasesOnceItIsDelegatedLikeDockerTrustSign(@TempDir Path home) throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));
        Signer releasesKey = TestSigners.ecdsa();

        writers().signerDelegation().delegateReleases(gun, targetsKey, rootKey, releasesKey.publicKey());
        PublishResult delegated = writers().publisher().publish(new PublishRequest(gun, "v2", Digest.sha256(MANIFEST_2), MANIFEST_2.length, releasesKey, rootKey));
        PublishResult again = writers().publisher().publish(new PublishRequest(gun, "v2", Digest.sha256(MANIFEST_2), MANIFEST_2.length, releasesKey, rootKey));

        assertThat(delegated.resolution().role()).isEqualTo("targets/releases");
        assertThat(delegated.roleVersion()).isEqualTo(1);
        assertThat(again.alreadyPresent()).isTrue();
        TrustedRepository repository = readWithFreshTrust(gun);
        assertThat(repository.resolve("v2").role()).isEqualTo("targets/releases");
        assertThat(repository.resolve("v1").role()).isEqualTo("targets");
        assertThat(notaryCli(home, "list", gun)).containsPattern("v2\\s+" + Digest.sha256(MANIFEST_2).hex() + "\\s+" + MANIFEST_2.length + "\\s+targets/releases");

        // The targets key can no longer sign tags that docker would resolve through releases.
        assertThatThrownBy(() -> writers().publisher().publish(request(gun, "v3", MANIFEST_1)))
                .isInstanceOf(NotaryException.class)
                .hasMessageContaining("resolves through targets/releases");
    }

    @Test
    void aRejectedPublishSurfacesTheServersReasonAndChangesNothing() throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));
        TrustedRepository before = readWithFreshTrust(gun);
        Signer unlisted = TestSigners.ecdsa();
        FileMeta evil = NotaryMetadataBuilder.target(Digest.sha256(MANIFEST_2), MANIFEST_2.length);

        assertThatThrownBy(() -> client().publish(gun, List.of(
                NotaryMetadataBuilder.updatedTargets(before.targets(), "v1", evil, unlisted, Instant.now()))))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).contains("INVALID_UPDATE");
                    assertThat(e.detail()).contains("valid signatures did not meet threshold for targets");
                });

        TrustedRepository after = readWithFreshTrust(gun);
        assertThat(after.targets().version()).isEqualTo(before.targets().version());
        assertThat(after.resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_1));
    }

    @Test
    void ourPublisherRefusesATargetsKeyTheRepositoryDoesNotList() throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));

        assertThatThrownBy(() -> writers().publisher().publish(new PublishRequest(gun, "v1", Digest.sha256(MANIFEST_2), MANIFEST_2.length, TestSigners.ecdsa(), rootKey)))
                .isInstanceOf(NotaryException.class)
                .hasMessageContaining("is not a targets key of " + gun);
        assertThat(readWithFreshTrust(gun).resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST_1));
    }

    @Test
    void reinitialisingWithAnotherRootKeyIsRefusedByTheVerifierPin() throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));

        assertThatThrownBy(() -> writers().publisher().publish(new PublishRequest(gun, "v1", Digest.sha256(MANIFEST_2), MANIFEST_2.length, targetsKey, TestSigners.ecdsa())))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("does not list the pinned root key");
    }

    @Test
    void aRepositoryWithoutTrustDataIsNotFound() {
        assertThatThrownBy(() -> readWithFreshTrust(newGun()))
                .isInstanceOfSatisfying(MetadataNotFoundException.class, e -> assertThat(e.name()).isEqualTo("root"));
        assertThatThrownBy(() -> writers().publisher().publish(new PublishRequest(newGun(), "v1", Digest.sha256(MANIFEST_1), MANIFEST_1.length, targetsKey, null)))
                .hasMessageContaining("has no trust data yet; initialising it needs the root key");
    }

    @Test
    void theServersSnapshotRecordsOurExactBytes() throws Exception {
        String gun = newGun();
        writers().publisher().publish(request(gun, "v1", MANIFEST_1));
        NotaryClient client = client();

        byte[] targets = client.fetch(gun, "targets", 1 << 20);
        TargetsMetadata parsed = TargetsMetadata.from(io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata.parse("targets", targets));
        assertThat(parsed.delegations()).isEmpty();
        assertThat(new String(targets, StandardCharsets.UTF_8)).contains("\"delegations\":{\"keys\":{},\"roles\":[]}");
        assertThat(client.serverKey(gun, RoleNames.TIMESTAMP).id()).isIn(readWithFreshTrust(gun).root().role(RoleNames.TIMESTAMP).keyIds());
        assertThat(Map.of("targets", targets)).isNotEmpty();
    }

    @Test
    void ourVerifierReadsWhatTheNotaryCliPublishes(@TempDir Path home) throws Exception {
        String gun = newGun();
        Path manifest = java.nio.file.Files.write(home.resolve("manifest.json"), MANIFEST_2);
        NotaryCli cli = new NotaryCli(notary, home);

        cli.run("init", gun, "-p");
        cli.run("add", gun, "v9", manifest.toString(), "-p");
        TrustCache cache = new InMemoryTrustCache();
        TufVerifier verifier = TufVerifier.builder().fetcher(client()).rootPin(RootPin.trustOnFirstUse()).cache(cache).build();
        assertThat(verifier.verify(gun).resolve("v9").digest()).isEqualTo(Digest.sha256(MANIFEST_2));

        // Handing the snapshot key to the server rotates root (v2, signed by the same root key).
        cli.run("key", "rotate", gun, "snapshot", "-r");
        cli.run("add", gun, "v10", manifest.toString(), "-p");

        TrustedRepository repository = verifier.verify(gun);
        assertThat(repository.root().version()).isEqualTo(2);
        assertThat(cache.lastVersion(gun, "root")).isEqualTo(2);
        assertThat(repository.resolve("v9").digest()).isEqualTo(Digest.sha256(MANIFEST_2));
        assertThat(repository.resolve("v10").length()).isEqualTo(MANIFEST_2.length);
        // The server keeps every root version for clients walking a rotation chain.
        byte[] firstRoot = client().fetch(gun, io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames.versioned(1, "root"), 1 << 20);
        assertThat(io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata.parse("root", firstRoot).version()).isEqualTo(1);
    }

    @Test
    void aServerCertificateFromAnUnconfiguredCaIsRefused() {
        NotaryClient trustingTheJdkOnly = NotaryClient.builder(notary.url()).requestTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> trustingTheJdkOnly.fetch(newGun(), "root", 1024))
                .isInstanceOfSatisfying(NotaryServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(-1);
                    assertThat(e.getMessage()).containsAnyOf("TLS", "PKIX", "certification path");
                });
    }

    /**
     * Publishers that share nothing (own client, own trust cache) adding different tags to one repository at the same
     * time, the first round racing on its initialisation too: notary-server refuses all but one upload of each
     * version, the others re-read and re-sign, and every tag ends up signed, as our verifier and the notary client see.
     */
    @Test
    void concurrentPublishersOfDifferentTagsAllEndUpSigned(@TempDir Path trustDir) throws Exception {
        String gun = newGun();
        int publishers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(publishers);
        try {
            for (int round = 1; round <= 3; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(publishers);
                List<java.util.concurrent.Callable<PublishResult>> tasks = new java.util.ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    String tag = "r" + round + "-p" + p;
                    byte[] manifest = ("{\"schemaVersion\":2,\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
                    tasks.add(() -> {
                        start.await();
                        return writers().publisher().publish(request(gun, tag, manifest));
                    });
                }
                for (java.util.concurrent.Future<PublishResult> future : pool.invokeAll(tasks)) {
                    assertThat(future.get().alreadyPresent()).isFalse(); // each reports success only after reading its tag back
                }
                TrustedRepository repository = readWithFreshTrust(gun);
                String listing = notaryCli(trustDir, "list", gun);
                for (int r = 1; r <= round; r++) {
                    for (int p = 0; p < publishers; p++) {
                        String tag = "r" + r + "-p" + p;
                        byte[] manifest = ("{\"schemaVersion\":2,\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
                        assertThat(repository.resolve(tag).digest()).as(tag).isEqualTo(Digest.sha256(manifest));
                        assertThat(listing).as(tag).containsPattern(tag + "\\s+" + Digest.sha256(manifest).hex());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String notaryCli(Path home, String... arguments) throws Exception {
        return new NotaryCli(notary, home).run(arguments);
    }
}
