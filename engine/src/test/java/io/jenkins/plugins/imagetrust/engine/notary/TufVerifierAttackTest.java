package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignatureMethod;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufSignature;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TUF attacks against a repository signed here with fresh keys; each asserts its exception and facts. */
class TufVerifierAttackTest {
    private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_MANIFEST = "{\"schemaVersion\":2,\"evil\":true}".getBytes(StandardCharsets.UTF_8);

    private final TestRepository repository = new TestRepository();
    private final TrustCache cache = new InMemoryTrustCache();

    private TrustedRepository verify() throws NotaryException {
        return verify(repository.fetcher());
    }

    private TrustedRepository verify(MetadataFetcher fetcher) throws NotaryException {
        return TufVerifier.builder().fetcher(fetcher).cache(cache).rootPin(RootPin.trustOnFirstUse())
                .clock(Clock.fixed(TestRepository.NOW, ZoneOffset.UTC)).build().verify(TestRepository.GUN);
    }

    @Test
    void aWellSignedRepositoryVerifies() throws Exception {
        repository.targets.put("1.0", TestRepository.target(MANIFEST));
        repository.publish();

        TargetResolution resolution = verify().resolve("1.0");

        assertThat(resolution.digest()).isEqualTo(Digest.sha256(MANIFEST));
        assertThat(resolution.length()).isEqualTo(MANIFEST.length);
    }

    @Test
    void expiredTimestamp() throws Exception {
        repository.timestampExpires = TestRepository.NOW.minus(Duration.ofSeconds(1));
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(RoleExpiredException.class, e -> {
            assertThat(e.role()).isEqualTo("timestamp");
            assertThat(e.expires()).isEqualTo(TestRepository.NOW.minus(Duration.ofSeconds(1)));
            assertThat(e.now()).isEqualTo(TestRepository.NOW);
        });
    }

    @Test
    void lowerVersionThanCached() throws Exception {
        repository.targetsVersion = 5;
        repository.snapshotVersion = 5;
        repository.timestampVersion = 5;
        repository.publish();
        verify();

        repository.targetsVersion = 4; // a replay of an older, validly signed targets (new snapshot/timestamp)
        repository.snapshotVersion = 6;
        repository.timestampVersion = 6;
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(RollbackException.class, e -> {
            assertThat(e.role()).isEqualTo("targets");
            assertThat(e.cachedVersion()).isEqualTo(5);
            assertThat(e.receivedVersion()).isEqualTo(4);
        });
    }

    @Test
    void snapshotHashMismatch() throws Exception {
        repository.publish();
        byte[] snapshot = repository.files.get("snapshot");
        MetadataFetcher swapping = (gun, name, max) -> {
            byte[] bytes = repository.fetcher().fetch(gun, name, max);
            if (name.startsWith("snapshot.")) {
                bytes = bytes.clone();
                bytes[bytes.length - 5] ^= 1; // flip a bit inside the signature's base64: same length, other bytes
            }
            return bytes;
        };

        assertThatThrownBy(() -> verify(swapping)).isInstanceOfSatisfying(HashMismatchException.class, e -> {
            assertThat(e.role()).isEqualTo("snapshot");
            assertThat(e.algorithm()).isIn("sha256", "sha512");
            assertThat(e.expectedHex()).isNotEqualTo(e.actualHex());
        });
        assertThat(snapshot).isNotEmpty();
    }

    @Test
    void mixAndMatchOfAnOldTargetsWithANewSnapshotIsCaught() throws Exception {
        repository.targets.put("1.0", TestRepository.target(MANIFEST));
        repository.publish();
        byte[] oldTargets = repository.files.get("targets");
        repository.targets.put("1.0", TestRepository.target(OTHER_MANIFEST));
        repository.targetsVersion = 2;
        repository.publish();
        MetadataFetcher mixing = (gun, name, max) -> name.startsWith("targets.") ? oldTargets : repository.fetcher().fetch(gun, name, max);

        assertThatThrownBy(() -> verify(mixing)).isInstanceOfSatisfying(HashMismatchException.class, e -> assertThat(e.role()).isEqualTo("targets"));
    }

    @Test
    void targetsSignedByAKeyNotInRoot() throws Exception {
        Signer intruder = TestSigners.ecdsa();
        repository.targetsSigners = List.of(intruder);
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(UnknownKeyException.class, e -> {
            assertThat(e.role()).isEqualTo("targets");
            assertThat(e.required()).isEqualTo(1);
            assertThat(e.valid()).isZero();
            assertThat(e.unknownKeyIds()).containsExactly(TestRepository.key(intruder).id());
        });
    }

    @Test
    void thresholdNotMet() throws Exception {
        Signer second = TestSigners.ecdsa();
        repository.targetsRoleKeys = List.of(repository.targetsKey, second);
        repository.targetsThreshold = 2;
        repository.targetsSigners = List.of(repository.targetsKey);
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(SignatureThresholdException.class, e -> {
            assertThat(e).isNotInstanceOf(UnknownKeyException.class);
            assertThat(e.role()).isEqualTo("targets");
            assertThat(e.required()).isEqualTo(2);
            assertThat(e.valid()).isEqualTo(1);
        });
    }

    @Test
    void theSameKeySigningTwiceCountsOnce() throws Exception {
        Signer second = TestSigners.ecdsa();
        repository.targetsRoleKeys = List.of(repository.targetsKey, second);
        repository.targetsThreshold = 2;
        repository.targetsSigners = List.of(repository.targetsKey, repository.targetsKey);
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(SignatureThresholdException.class, e -> assertThat(e.valid()).isEqualTo(1));
    }

    @Test
    void aKeyListedTwiceCountsOnce() throws Exception {
        repository.targetsRoleKeys = List.of(repository.targetsKey, repository.targetsKey);
        repository.targetsThreshold = 2;
        repository.targetsSigners = List.of(repository.targetsKey, repository.targetsKey);
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOfSatisfying(SignatureThresholdException.class, e -> {
            assertThat(e.required()).isEqualTo(2);
            assertThat(e.valid()).isEqualTo(1);
        });
    }

    @Test
    void twoDistinctKeysMeetAThresholdOfTwo() throws Exception {
        Signer second = TestSigners.ecdsa();
        repository.targetsRoleKeys = List.of(repository.targetsKey, second);
        repository.targetsThreshold = 2;
        repository.targetsSigners = List.of(second, repository.targetsKey);
        repository.publish();

        verify();
    }

    @Test
    void oversizeMetadataRecordedInTheSnapshot() throws Exception {
        repository.publish();

        TufVerifier verifier = TufVerifier.builder().fetcher(repository.fetcher()).rootPin(RootPin.trustOnFirstUse())
                .clock(Clock.fixed(TestRepository.NOW, ZoneOffset.UTC)).limits(new TufVerifier.Limits(64 * 1024, 64 * 1024, 200)).build();
        assertThatThrownBy(() -> verifier.verify(TestRepository.GUN)).isInstanceOfSatisfying(MetadataTooLargeException.class, e -> {
            assertThat(e.role()).isEqualTo("snapshot");
            assertThat(e.maxBytes()).isEqualTo(200);
        });
    }

    @Test
    void aServerThatSendsMoreThanTheRecordedLengthIsCutOff() throws Exception {
        repository.publish();
        MetadataFetcher padding = (gun, name, max) -> {
            byte[] bytes = repository.fetcher().fetch(gun, name, Long.MAX_VALUE);
            if (bytes.length > max) {
                throw new MetadataTooLargeException(name, max);
            }
            return name.startsWith("targets.") ? (new String(bytes, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8) : bytes;
        };

        assertThatThrownBy(() -> verify(padding)).isInstanceOf(LengthMismatchException.class);
    }

    @Test
    void delegationClaimingATagOutsideItsPaths() throws Exception {
        repository.releases = Map.of("prod-1.0", TestRepository.target(MANIFEST), "dev-1.0", TestRepository.target(OTHER_MANIFEST));
        repository.releasesPaths = List.of("dev-");
        repository.publish();
        TrustedRepository trusted = verify();

        assertThat(trusted.resolve("dev-1.0").role()).isEqualTo("targets/releases");
        assertThatThrownBy(() -> trusted.resolve("prod-1.0")).isInstanceOfSatisfying(DelegationPathException.class, e -> {
            assertThat(e.role()).isEqualTo("targets/releases");
            assertThat(e.target()).isEqualTo("prod-1.0");
            assertThat(e.allowedPaths()).containsExactly("dev-");
        });
    }

    @Test
    void releasesWinsOverTargets() throws Exception {
        repository.targets.put("1.0", TestRepository.target(OTHER_MANIFEST));
        repository.releases = Map.of("1.0", TestRepository.target(MANIFEST));
        repository.publish();

        TargetResolution resolution = verify().resolve("1.0");
        assertThat(resolution.role()).isEqualTo("targets/releases");
        assertThat(resolution.digest()).isEqualTo(Digest.sha256(MANIFEST));
    }

    @Test
    void rootRotationMustBeSignedByTheOldRoot() throws Exception {
        repository.publish();
        verify();

        TestRepository impostor = new TestRepository(); // other keys, higher root version, same name
        impostor.rootVersion = 2;
        impostor.publish();

        assertThatThrownBy(() -> verify(impostor.fetcher()))
                .isInstanceOfSatisfying(UntrustedRootException.class, e -> {
                    assertThat(e.gun()).isEqualTo(TestRepository.GUN);
                    assertThat(e.getMessage()).contains("root v2 is not signed by the trusted root v1");
                });
    }

    @Test
    void rootRotationsAreFollowedThroughEveryIntermediateVersion() throws Exception {
        repository.targets.put("1.0", TestRepository.target(MANIFEST));
        repository.publish();
        verify();
        Signer first = repository.rootKey;
        Signer second = TestSigners.ecdsa();
        Signer third = TestSigners.ecdsa();

        repository.rootKey = second; // v2: signed by v1's key and its own
        repository.previousRootKeys = List.of(first);
        repository.rootVersion = 2;
        repository.publish();
        repository.rootKey = third; // v3: signed by v2's key and its own, not by v1's
        repository.previousRootKeys = List.of(second);
        repository.rootVersion = 3;
        repository.snapshotVersion = 2;
        repository.timestampVersion = 2;
        repository.publish();

        TrustedRepository trusted = verify();
        assertThat(trusted.root().version()).isEqualTo(3);
        assertThat(cache.lastVersion(TestRepository.GUN, "root")).isEqualTo(3);

        repository.files.remove("2.root");
        TrustCache fresh = new InMemoryTrustCache();
        fresh.save(TestRepository.GUN, repository.files.get("1.root"), Map.of());
        assertThatThrownBy(() -> TufVerifier.builder().fetcher(repository.fetcher()).cache(fresh).rootPin(RootPin.trustOnFirstUse())
                .clock(Clock.fixed(TestRepository.NOW, ZoneOffset.UTC)).build().verify(TestRepository.GUN))
                .isInstanceOf(UntrustedRootException.class)
                .hasMessageContaining("does not have root v2");
    }

    @Test
    void aRotationSkippingTheOldKeyIsRefusedEvenThroughIntermediates() throws Exception {
        repository.publish();
        verify();
        Signer second = TestSigners.ecdsa();

        repository.rootKey = second; // v2 signed only by its own new key
        repository.rootVersion = 2;
        repository.publish();

        assertThatThrownBy(this::verify).isInstanceOf(UntrustedRootException.class).hasMessageContaining("root v2 is not signed by the trusted root v1");
    }

    @Test
    void otherSignatureMethodsVerify() throws Exception {
        for (Signer signer : List.of(TestSigners.rsaPss(), TestSigners.ed25519())) {
            TestRepository other = new TestRepository();
            other.targetsRoleKeys = List.of(signer);
            other.targetsSigners = List.of(signer);
            other.targets.put("1.0", TestRepository.target(MANIFEST));
            other.publish();

            TrustedRepository trusted = TufVerifier.builder().fetcher(other.fetcher()).rootPin(RootPin.trustOnFirstUse())
                    .clock(Clock.fixed(TestRepository.NOW, ZoneOffset.UTC)).build().verify(TestRepository.GUN);
            assertThat(trusted.resolve("1.0").digest()).isEqualTo(Digest.sha256(MANIFEST));
        }
    }

    @Test
    void keyTypeConfusionIsRejected() throws Exception {
        byte[] canonical = "{\"_type\":\"Targets\"}".getBytes(StandardCharsets.UTF_8);
        Signer ecdsa = TestSigners.ecdsa();
        Signer rsa = TestSigners.rsaPss();
        Signer ed25519 = TestSigners.ed25519();
        TufKey ecdsaKey = TufKey.forPublicKey(ecdsa.publicKey());
        TufKey rsaKey = TufKey.forPublicKey(rsa.publicKey());
        TufKey edKey = TufKey.forPublicKey(ed25519.publicKey());
        TufSignature ecdsaSignature = TufSignatures.sign(ecdsa, ecdsaKey.id(), canonical);
        TufSignature rsaSignature = TufSignatures.sign(rsa, rsaKey.id(), canonical);
        TufSignature edSignature = TufSignatures.sign(ed25519, edKey.id(), canonical);
        assertThat(TufSignatures.isValid(ecdsaKey, ecdsaSignature, canonical)).isTrue();
        assertThat(TufSignatures.isValid(rsaKey, rsaSignature, canonical)).isTrue();
        assertThat(TufSignatures.isValid(edKey, edSignature, canonical)).isTrue();
        // a signature claiming another method than its key's type never counts, whatever its bytes
        for (SignatureMethod method : SignatureMethod.values()) {
            if (method != SignatureMethod.ECDSA) {
                assertThat(TufSignatures.isValid(ecdsaKey, TufSignature.of(ecdsaKey.id(), method, ecdsaSignature.value()), canonical))
                        .as("ecdsa key, method " + method).isFalse();
            }
        }
        assertThat(TufSignatures.isValid(rsaKey, TufSignature.of(rsaKey.id(), SignatureMethod.EDDSA, rsaSignature.value()), canonical)).isFalse();
        assertThat(TufSignatures.isValid(edKey, TufSignature.of(edKey.id(), SignatureMethod.ECDSA, edSignature.value()), canonical)).isFalse();
        // ECDSA must be raw r||s: the DER form of the same valid signature is refused
        byte[] der = io.jenkins.plugins.imagetrust.engine.keys.EcdsaSignatures.rawToDer(ecdsaSignature.value());
        assertThat(TufSignatures.isValid(ecdsaKey, TufSignature.of(ecdsaKey.id(), SignatureMethod.ECDSA, der), canonical)).isFalse();
        // and a signature checked under another key of another type fails
        assertThat(TufSignatures.isValid(rsaKey, ecdsaSignature, canonical)).isFalse();
        assertThat(TufSignatures.isValid(edKey, rsaSignature, canonical)).isFalse();
    }
}
