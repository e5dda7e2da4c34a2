package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.DirectoryMetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.DirectoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier over the real docker/notary-server metadata in {@code shared/interop/notary/}. */
class TufVerifierInteropTest {
    /** Every test here reads the interop fixtures: without them, skip (loudly) before any test body runs. */
    @BeforeAll
    static void interopFixtures() {
        InteropFixtures.root();
    }

    private static final Digest HELLO_DIGEST = Digest.parse("sha256:cbd0daad951e12d6398fe6dbce4764d2132c4e077959b1845fd2dd39fd55e6f5");

    private static TufVerifier verifier(String dir, Clock clock, RootPin pin, TrustCache cache) {
        return verifier(new DirectoryMetadataFetcher(NotaryInterop.metadataDir(dir)), clock, pin, cache);
    }

    private static TufVerifier verifier(MetadataFetcher fetcher, Clock clock, RootPin pin, TrustCache cache) {
        return TufVerifier.builder().fetcher(fetcher).clock(clock).rootPin(pin).cache(cache).build();
    }

    @Test
    void n7_helloResolvesThroughTargetsReleases() throws Exception {
        List<String> fetched = new ArrayList<>();
        MetadataFetcher directory = new DirectoryMetadataFetcher(NotaryInterop.metadataDir("hello"));
        MetadataFetcher recording = (gun, name, max) -> {
            fetched.add(name);
            return directory.fetch(gun, name, max);
        };

        TrustedRepository repository = verifier(recording, NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN);
        TargetResolution resolution = repository.resolve("signed");

        assertThat(resolution.digest()).isEqualTo(HELLO_DIGEST);
        assertThat(resolution.length()).isEqualTo(524);
        assertThat(resolution.role()).isEqualTo("targets/releases");
        // docker trust sign wrote the tag into releases and the per-signer role: both are reported, as docker trust inspect does.
        assertThat(resolution.signedBy()).containsExactly("targets/releases", "targets/labsigner");
        assertThat(resolution.signerNames()).containsExactly("labsigner");
        assertThat(repository.targets().targets()).isEmpty();
        assertThat(repository.delegations()).containsOnlyKeys("targets/releases", "targets/labsigner");
        // The cold-pull sequence: files after the timestamp by checksum (N6).
        assertThat(fetched).hasSize(6).startsWith("root", "timestamp");
        assertThat(fetched.get(2)).startsWith("snapshot.2ccb3078");
        assertThat(fetched.get(3)).startsWith("targets.08e774a7");
    }

    @Test
    void n7_pushsignedResolvesInTargets() throws Exception {
        TrustedRepository repository = verifier("pushsigned", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify(NotaryInterop.PUSHSIGNED_GUN);

        TargetResolution resolution = repository.resolve("v1");
        assertThat(resolution.digest()).isEqualTo(HELLO_DIGEST);
        assertThat(resolution.role()).isEqualTo("targets");
        assertThat(resolution.signedBy()).containsExactly("targets");
        assertThat(resolution.signerNames()).isEmpty();
        assertThatThrownBy(() -> repository.resolve("v2"))
                .isInstanceOfSatisfying(TargetNotFoundException.class, e -> assertThat(e.tag()).isEqualTo("v2"))
                .hasMessage("no valid trust data for 127.0.0.1:5001/lab/pushsigned:v2");
    }

    @Test
    void n10_afterTheTimestampExpiresVerificationFailsOnTheTimestamp() {
        assertThatThrownBy(() -> verifier("hello", NotaryInterop.AFTER_TIMESTAMP_EXPIRY, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN))
                .isInstanceOfSatisfying(RoleExpiredException.class, e -> {
                    assertThat(e.role()).isEqualTo("timestamp");
                    assertThat(e.expires()).isAfter(Instant.parse("2026-12-09T07:17:30Z")).isBefore(Instant.parse("2026-12-09T07:17:36Z"));
                    assertThat(e.now()).isEqualTo(Instant.parse("2026-12-09T07:17:36Z"));
                });
    }

    @Test
    void n10_expiriesAreTenYearsThreeYearsThreeYearsFourteenDays() throws Exception {
        TrustedRepository repository = verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN);

        assertThat(repository.root().expires()).isBetween(Instant.parse("2036-11-22T00:00:00Z"), Instant.parse("2036-11-23T00:00:00Z"));
        assertThat(repository.targets().expires()).isBetween(Instant.parse("2029-11-24T00:00:00Z"), Instant.parse("2029-11-25T00:00:00Z"));
        assertThat(repository.snapshot().expires()).isBetween(Instant.parse("2029-11-24T00:00:00Z"), Instant.parse("2029-11-25T00:00:00Z"));
        assertThat(repository.timestamp().expires()).isBetween(Instant.parse("2026-12-09T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z"));
    }

    @Test
    void n11_cacheRemembersVersionsAndRefusesARollback(@TempDir Path cacheDir) throws Exception {
        TrustCache cache = new DirectoryTrustCache(cacheDir);
        verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), cache).verify(NotaryInterop.HELLO_GUN);

        assertThat(cache.lastVersion(NotaryInterop.HELLO_GUN, "root")).isEqualTo(1);
        assertThat(cache.lastVersion(NotaryInterop.HELLO_GUN, "targets")).isEqualTo(2);
        assertThat(cache.lastVersion(NotaryInterop.HELLO_GUN, "snapshot")).isEqualTo(2);
        assertThat(cache.lastVersion(NotaryInterop.HELLO_GUN, "timestamp")).isEqualTo(2);
        assertThat(cache.lastVersion(NotaryInterop.HELLO_GUN, "targets/releases")).isEqualTo(1);

        cache.save(NotaryInterop.HELLO_GUN, cache.trustedRoot(NotaryInterop.HELLO_GUN).orElseThrow(), Map.of("timestamp", 3L));
        TufVerifier again = verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new DirectoryTrustCache(cacheDir));
        assertThatThrownBy(() -> again.verify(NotaryInterop.HELLO_GUN))
                .isInstanceOfSatisfying(RollbackException.class, e -> {
                    assertThat(e.role()).isEqualTo("timestamp");
                    assertThat(e.cachedVersion()).isEqualTo(3);
                    assertThat(e.receivedVersion()).isEqualTo(2);
                });
    }

    @Test
    void aCachedRootOfAnotherRepositoryIsNotReplacedByTheServersRoot() throws Exception {
        TrustCache cache = new InMemoryTrustCache();
        // The client trusts pushsigned's root (v1); the server offers hello's root v1: same version, other keys.
        cache.save(NotaryInterop.HELLO_GUN, NotaryInterop.read(NotaryInterop.metadataDir("pushsigned").resolve("root.json")), Map.of());

        assertThatThrownBy(() -> verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), cache).verify(NotaryInterop.HELLO_GUN))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("different root with the trusted version 1");
    }

    @Test
    void pinnedRootFileAndPinnedRootCertificateBothWork() throws Exception {
        byte[] rootJson = NotaryInterop.read(NotaryInterop.metadataDir("hello").resolve("root.json"));
        verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.rootFile(rootJson), new InMemoryTrustCache()).verify(NotaryInterop.HELLO_GUN);

        RootMetadata root = RootMetadata.from(SignedMetadata.parse("root", rootJson));
        TufKey rootKey = root.keys().get(root.role(RoleNames.ROOT).keyIds().get(0));
        String pem = new String(Base64.getDecoder().decode(rootKey.publicValue()), StandardCharsets.US_ASCII);
        TrustedRepository repository = verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.rootKey(pem), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN);
        assertThat(repository.resolve("signed").digest()).isEqualTo(HELLO_DIGEST);
    }

    @Test
    void aRootPinnedToAnotherKeyIsRejected() throws Exception {
        byte[] otherRoot = NotaryInterop.read(NotaryInterop.metadataDir("pushsigned").resolve("root.json"));
        RootMetadata root = RootMetadata.from(SignedMetadata.parse("root", otherRoot));
        String pem = new String(Base64.getDecoder().decode(root.keys().get(root.role(RoleNames.ROOT).keyIds().get(0)).publicValue()),
                StandardCharsets.US_ASCII);

        // Same private key as hello's root (docker reuses it) but hello lists its own certificate: the pin is
        // on the key, so it matches. A key that is really different must not.
        verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.rootKey(pem), new InMemoryTrustCache()).verify(NotaryInterop.HELLO_GUN);
        String unrelated = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(TestSigners.ecdsa().publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.rootKey(unrelated), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("does not list the pinned root key");
        assertThatThrownBy(() -> verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.rootFile(otherRoot), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN))
                .isInstanceOf(UntrustedRootException.class);
    }

    @Test
    void rootCertificateMustNameTheRepository() {
        // hello's metadata served under another name: its root certificate says CN=127.0.0.1:5001/lab/hello.
        assertThatThrownBy(() -> verifier("hello", NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify("127.0.0.1:5001/lab/other"))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("root certificate");
    }

    @Test
    void withoutAPinAndWithoutTrustOnFirstUseNothingIsTrusted() {
        assertThatThrownBy(() -> TufVerifier.builder().fetcher(new DirectoryMetadataFetcher(NotaryInterop.metadataDir("hello"))).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("trustOnFirstUse() must be chosen explicitly");
    }

    @Test
    void n12_aTamperedDelegationFailsItsSnapshotHash() {
        MetadataFetcher directory = new DirectoryMetadataFetcher(NotaryInterop.metadataDir("hello"));
        MetadataFetcher tampering = (gun, name, max) -> {
            byte[] bytes = directory.fetch(gun, name, max);
            if (name.startsWith("targets/releases.")) {
                String text = new String(bytes, StandardCharsets.UTF_8).replace("\"length\":524", "\"length\":525");
                return text.getBytes(StandardCharsets.UTF_8);
            }
            return bytes;
        };

        assertThatThrownBy(() -> verifier(tampering, NotaryInterop.VALID_CLOCK, RootPin.trustOnFirstUse(), new InMemoryTrustCache())
                .verify(NotaryInterop.HELLO_GUN))
                .isInstanceOfSatisfying(HashMismatchException.class, e -> {
                    assertThat(e.role()).isEqualTo("targets/releases");
                    assertThat(e.expectedHex()).startsWith("919ddb0b");
                });
    }

    @Test
    void oversizeTimestampIsRefusedBeforeParsing() {
        TufVerifier verifier = TufVerifier.builder().fetcher(new DirectoryMetadataFetcher(NotaryInterop.metadataDir("hello")))
                .clock(NotaryInterop.VALID_CLOCK).rootPin(RootPin.trustOnFirstUse())
                .limits(new TufVerifier.Limits(512 * 1024, 100, 1024 * 1024)).build();

        assertThatThrownBy(() -> verifier.verify(NotaryInterop.HELLO_GUN))
                .isInstanceOfSatisfying(MetadataTooLargeException.class, e -> {
                    assertThat(e.role()).isEqualTo("timestamp");
                    assertThat(e.maxBytes()).isEqualTo(100);
                });
    }
}
