package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.CosignKeylessLayouts;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.KeyType;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LogKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A Sigstore bundle attached to an image, as cosign 3 writes it (a DSSE in-toto statement naming the manifest) or as
 * a message signature over the manifest, from a test Sigstore deployment, verified with
 * {@link KeylessVerifier#verifyBundle}; attack rows beside their controls. Also the review findings of the last
 * session: attacker text reaches messages on one line, and a timestamp's signing certificate is checked against the
 * TSA entry of the trusted root properly.
 */
class KeylessBundleTest {
    static final Instant NOW = KeylessLegacyLayerTest.NOW;
    static final SignerPolicy.CertificateIdentity IDENTITY = KeylessLegacyLayerTest.IDENTITY;
    static final byte[] MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}".getBytes(StandardCharsets.UTF_8);
    static final Digest MANIFEST_DIGEST = Digest.sha256(MANIFEST);

    /** One bundle, every part changeable. */
    static final class Scenario {
        final TestSigstore sigstore;
        int minorVersion = 3;
        boolean dsse = true;
        KeyType leafKey = KeyType.P256;
        String subjectHex = MANIFEST_DIGEST.hex();
        LogKey checkpointSigner;
        boolean tamperProof;
        boolean withTimestamp;
        boolean bodyForOtherPayload;
        Optional<byte[]> manifestBytes = Optional.empty();

        Scenario() {
            this(new TestSigstore(NOW));
        }

        Scenario(TestSigstore sigstore) {
            this.sigstore = sigstore;
            this.checkpointSigner = sigstore.rekor();
        }

        byte[] bundle() {
            TestSigstore.Leaf leaf = sigstore.leaf(leafKey).build();
            CosignKeylessLayouts.Content content;
            byte[] body;
            byte[] signature;
            if (dsse) {
                byte[] statement = CosignKeylessLayouts.cosignSignStatement("registry.test/app", subjectHex);
                signature = TestSigstore.sign(leaf.keys().getPrivate(), CosignKeylessLayouts.pae(statement));
                content = new CosignKeylessLayouts.Dsse(statement, signature);
                body = TestSigstore.dsseBody(bodyForOtherPayload ? "other".getBytes(StandardCharsets.UTF_8) : statement, signature,
                        leaf.certificate());
            } else {
                signature = TestSigstore.sign(leaf.keys().getPrivate(), MANIFEST);
                content = new CosignKeylessLayouts.MessageSignature(TestSigstore.sha256(MANIFEST), signature);
                body = TestSigstore.hashedRekordBody(bodyForOtherPayload ? TestSigstore.sha256(new byte[1]) : TestSigstore.sha256(MANIFEST),
                        signature, leaf.certificate());
            }
            TestSigstore.LogEntry entry = sigstore.log(body, NOW, sigstore.rekor(), checkpointSigner);
            if (tamperProof) {
                List<byte[]> hashes = new java.util.ArrayList<>(entry.proofHashes());
                hashes.set(0, TestSigstore.sha256(hashes.get(0)));
                entry = new TestSigstore.LogEntry(entry.logId(), entry.logIndex(), entry.integratedTime(), entry.body(),
                        entry.signedEntryTimestamp(), entry.treeSize(), entry.rootHash(), hashes, entry.checkpoint());
            }
            List<byte[]> timestamps = withTimestamp ? List.of(sigstore.timestamp(signature, NOW.plusSeconds(1))) : List.of();
            return CosignKeylessLayouts.bundle(minorVersion, leaf.certificate(), List.of(entry), dsse ? "dsse" : "hashedrekord", timestamps, content,
                    true);
        }

        VerifiedBundle verify() throws SigstoreException {
            byte[] bundle = bundle();
            return new KeylessVerifier(TrustedRoot.parse(sigstore.trustedRootJson())).verifyBundle(bundle, IDENTITY, MANIFEST_DIGEST,
                    manifestBytes);
        }
    }

    static Scenario with(Consumer<Scenario> change) {
        Scenario scenario = new Scenario();
        change.accept(scenario);
        return scenario;
    }

    static void assertRejected(Scenario scenario, SigstoreReason reason) {
        assertThatThrownBy(scenario::verify).isInstanceOfSatisfying(SigstoreException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    @Test
    void cosign3sDsseBundleVerifiesForTheManifestItNames() throws Exception {
        VerifiedBundle verified = new Scenario().verify();
        assertThat(verified.artifact()).isEqualTo(MANIFEST_DIGEST);
        assertThat(verified.signingTimes()).singleElement().satisfies(t -> assertThat(t.time()).isEqualTo(NOW));
        assertThat(verified.signer()).isInstanceOf(VerifiedBundle.CertificateSigner.class);
        assertRejected(with(s -> s.subjectHex = "cd".repeat(32)), SigstoreReason.ARTIFACT_MISMATCH);
    }

    @Test
    void everyBundleVersionAndBothContentsVerify() throws Exception {
        for (int minor = 1; minor <= 3; minor++) {
            for (boolean dsse : new boolean[] {true, false}) {
                int version = minor;
                VerifiedBundle verified = with(s -> {
                    s.minorVersion = version;
                    s.dsse = dsse;
                    s.withTimestamp = true;
                }).verify();
                assertThat(verified.signingTimes()).as("v0.%d %s", version, dsse ? "DSSE" : "message").hasSize(2);
            }
        }
    }

    @Test
    void theCheckpointMustBeSignedByTheLogAndTheProofLeadToItsRoot() {
        assertRejected(with(s -> s.checkpointSigner = LogKey.of(TestSigstore.newKeyPair(KeyType.P256))), SigstoreReason.CHECKPOINT_INVALID);
        assertRejected(with(s -> s.tamperProof = true), SigstoreReason.INCLUSION_PROOF_INVALID);
    }

    @Test
    void theLogEntryMustRecordThisEnvelopeOrDigest() {
        assertRejected(with(s -> s.bodyForOtherPayload = true), SigstoreReason.TLOG_ENTRY_MISMATCH);
        assertRejected(with(s -> {
            s.dsse = false;
            s.bodyForOtherPayload = true;
        }), SigstoreReason.TLOG_ENTRY_MISMATCH);
    }

    @Test
    void p384AndEd25519MessageSignaturesNeedTheManifestBytes() throws Exception {
        for (KeyType type : new KeyType[] {KeyType.P384, KeyType.ED25519}) {
            with(s -> {
                s.dsse = false;
                s.leafKey = type;
                s.manifestBytes = Optional.of(MANIFEST);
            }).verify();
            assertRejected(with(s -> {
                s.dsse = false;
                s.leafKey = type;
            }), SigstoreReason.SIGNATURE_INVALID);
            with(s -> s.leafKey = type).verify(); // DSSE signs the PAE: no manifest bytes needed
        }
        assertRejected(with(s -> {
            s.dsse = false;
            s.manifestBytes = Optional.of("another manifest".getBytes(StandardCharsets.UTF_8));
        }), SigstoreReason.ARTIFACT_MISMATCH);
    }

    @Test
    void aP384SignatureOverSha256IsNotAccepted() throws Exception {
        java.security.KeyPair keys = TestSigstore.newKeyPair(KeyType.P384);
        java.security.Signature sha256 = java.security.Signature.getInstance("SHA256withECDSA");
        sha256.initSign(keys.getPrivate());
        sha256.update(MANIFEST);
        assertThat(Signatures.verify(keys.getPublic(), MANIFEST, sha256.sign())).isFalse();
        assertThat(Signatures.verify(keys.getPublic(), MANIFEST, TestSigstore.sign(keys.getPrivate(), MANIFEST))).isTrue();
    }

    @Test
    void ed25519LogKeysVerifyCheckpointsAndSets() throws Exception {
        new Scenario(new TestSigstore(NOW, KeyType.ED25519)).verify();
    }

    // ---------------------------------------------------------------- review finding (a): one-line messages

    @Test
    void bundleTextReachesMessagesOnOneLine() {
        String hostile = "{\"mediaType\":\"application/x\\n2026-03-01 INFO image verified\\u2028\\u202e\"}";
        assertThatThrownBy(() -> Bundle.parse(hostile.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(SigstoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(SigstoreReason.UNSUPPORTED_BUNDLE_VERSION);
            assertThat(e.getMessage()).doesNotContain("\n", "\u2028", "\u202e").contains("application/x\\u000a2026-03-01 INFO", "\\u2028\\u202e");
        });
        String control = "{\"mediaType\":\"application/x\"}";
        assertThatThrownBy(() -> Bundle.parse(control.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("'application/x'");
        assertThat(new SigstoreException(SigstoreReason.MALFORMED_BUNDLE, "x".repeat(10_000)).getMessage())
                .hasSize(SigstoreException.MAX_MESSAGE_CHARS + 1);
    }

    // ---------------------------------------------------------------- review finding (b): the TSA chain

    @Test
    void whenTheRootNamesTheTsaLeafOnlyThatLeafMaySign() throws Exception {
        TestSigstore sigstore = new TestSigstore(NOW);
        TestSigstore.Ca sibling = TestSigstore.tsaLeaf(sigstore.tsaRoot(), "sigstore-test-tsa", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)));
        byte[] signature = {1, 2, 3};
        TrustedRoot root = TrustedRoot.parse(sigstore.trustedRootJson());
        assertThat(Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sigstore.tsaLeaf(), true), signature, root).time()).isEqualTo(NOW);
        assertThat(Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sigstore.tsaLeaf(), false), signature, root).time()).isEqualTo(NOW);
        // A certificate the same TSA root issued, embedded in the token, is not the TSA the root names.
        assertThatThrownBy(() -> Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sibling, true), signature, root))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.TIMESTAMP_UNTRUSTED));
        // A root that lists the TSA's leaf alone has no anchor for it.
        sigstore.tsaChainInRoot = List.of(sigstore.tsaLeaf().certificate());
        TrustedRoot leafOnly = TrustedRoot.parse(sigstore.trustedRootJson());
        assertThatThrownBy(() -> Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sigstore.tsaLeaf(), true), signature, leafOnly))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.TIMESTAMP_UNTRUSTED));
    }

    @Test
    void whenTheRootNamesOnlyCasAnEmbeddedSignerMustChainToThem() throws Exception {
        TestSigstore sigstore = new TestSigstore(NOW);
        sigstore.tsaChainInRoot = List.of(sigstore.tsaRoot().certificate());
        TrustedRoot root = TrustedRoot.parse(sigstore.trustedRootJson());
        byte[] signature = {1, 2, 3};
        TestSigstore.Ca sibling = TestSigstore.tsaLeaf(sigstore.tsaRoot(), "another-tsa", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        assertThat(Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sibling, true), signature, root).time()).isEqualTo(NOW);
        assertThatThrownBy(() -> Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, sibling, false), signature, root))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.TIMESTAMP_UNTRUSTED));
        TestSigstore.Ca strangerRoot = TestSigstore.selfSignedCa("stranger", KeyType.P256, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        TestSigstore.Ca stranger = TestSigstore.tsaLeaf(strangerRoot, "another-tsa", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> Rfc3161Timestamps.verify(TestSigstore.timestamp(signature, NOW, stranger, true), signature, root))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.TIMESTAMP_UNTRUSTED));
    }
}
