package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.testing.SigstoreConformanceCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Failure classes the conformance cases do not isolate, each as an attack on a real bundle or root (one field
 * changed with Jackson) beside its control: the same bundle and root, unchanged, verify.
 */
class SigstoreAttackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V01 = "happy-path-v0.1"; // Rekor v1: SET + inclusion proof + checkpoint, production root
    private static final String REKOR2 = "rekor2-happy-path"; // Rekor v2 entry, time from an RFC 3161 timestamp

    private static Path caseDir(String name) {
        return SigstoreConformanceCases.dir().resolve("cases").resolve(name);
    }

    private static ObjectNode read(Path file) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readAllBytes(file));
    }

    private static Path rootOf(String name) {
        Path own = caseDir(name).resolve("trusted_root.json");
        return Files.exists(own) ? own : SigstoreConformanceCases.dir().resolve("production_trusted_root.json");
    }

    /** Verifies case {@code name} after {@code bundleEdit} and {@code rootEdit}, with the suite's default identity. */
    private static VerifiedBundle verify(String name, Consumer<ObjectNode> bundleEdit, Consumer<ObjectNode> rootEdit) throws Exception {
        ObjectNode bundle = read(caseDir(name).resolve("bundle.sigstore.json"));
        ObjectNode root = read(rootOf(name));
        bundleEdit.accept(bundle);
        rootEdit.accept(root);
        return new BundleVerifier(TrustedRoot.parse(JSON.writeValueAsBytes(root))).verify(Bundle.parse(JSON.writeValueAsBytes(bundle)),
                identity(), Digest.sha256(InteropFixtures.bytes("sigstore-conformance/cases/a.txt")));
    }

    private static SignerPolicy identity() {
        return new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(SigstoreConformanceCases.DEFAULT_IDENTITY),
                SignerPolicy.Matcher.exact(SigstoreConformanceCases.DEFAULT_ISSUER));
    }

    private static void assertRejected(String name, Consumer<ObjectNode> bundleEdit, Consumer<ObjectNode> rootEdit, SigstoreReason reason) {
        assertThatThrownBy(() -> verify(name, bundleEdit, rootEdit)).isInstanceOfSatisfying(SigstoreException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static final Consumer<ObjectNode> NONE = node -> { };

    @Test
    void controlsVerifyWithTheProvenTimeAndIdentity() throws Exception {
        VerifiedBundle v01 = verify(V01, NONE, NONE);
        assertThat(v01.signingTimes()).singleElement().satisfies(t -> {
            assertThat(t.source()).isEqualTo(VerifiedBundle.TimeSource.TLOG_SIGNED_ENTRY_TIMESTAMP);
            assertThat(t.time()).isEqualTo(Instant.ofEpochSecond(1689177396L));
            assertThat(t.authority()).isEqualTo("https://rekor.sigstore.dev");
        });
        assertThat(v01.signer()).isInstanceOfSatisfying(VerifiedBundle.CertificateSigner.class, s -> {
            assertThat(s.identity().subjectAlternativeName()).contains(SigstoreConformanceCases.DEFAULT_IDENTITY);
            assertThat(s.identity().issuer()).contains(SigstoreConformanceCases.DEFAULT_ISSUER);
            assertThat(s.identity().extensions()).containsEntry("sourceRepositoryURI",
                    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon");
        });
        VerifiedBundle rekor2 = verify(REKOR2, NONE, NONE);
        assertThat(rekor2.signingTimes()).singleElement().satisfies(t -> assertThat(t.source()).isEqualTo(VerifiedBundle.TimeSource.RFC3161_TIMESTAMP));
    }

    @Test
    void withoutATimestampARekorV2EntryProvesNoSigningTime() {
        assertRejected(REKOR2, bundle -> ((ObjectNode) bundle.get("verificationMaterial")).remove("timestampVerificationData"), NONE,
                SigstoreReason.NO_SIGNING_TIME);
    }

    @Test
    void aLogMissingFromTheRootIsUntrusted() {
        assertRejected(V01, NONE, root -> ((ArrayNode) root.get("tlogs")).remove(0), SigstoreReason.TLOG_UNTRUSTED);
    }

    @Test
    void aLogWindowEndingBeforeTheIntegratedTimeIsUntrusted() {
        // The entry's integrated time is 2023-07-12T15:56:36Z; the window ends one second before (end inclusive: at it, it verifies).
        assertRejected(V01, NONE, root -> tlogValidFor(root).put("end", "2023-07-12T15:56:35Z"), SigstoreReason.TLOG_UNTRUSTED);
        assertThat(catchVerify(V01, root -> tlogValidFor(root).put("end", "2023-07-12T15:56:36Z"))).isNull();
    }

    private static ObjectNode tlogValidFor(ObjectNode root) {
        return (ObjectNode) root.get("tlogs").get(0).get("publicKey").get("validFor");
    }

    private static Exception catchVerify(String name, Consumer<ObjectNode> rootEdit) {
        try {
            verify(name, NONE, rootEdit);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void aCaWindowThatHasEndedBeforeTheSigningTimeIsUntrusted() {
        assertRejected(V01, NONE, root -> {
            for (var ca : root.get("certificateAuthorities")) {
                ((ObjectNode) ca.get("validFor")).put("end", "2023-01-01T00:00:00Z");
            }
        }, SigstoreReason.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void withoutCtLogsTheSctCannotVerify() {
        assertRejected(V01, NONE, root -> root.putArray("ctlogs"), SigstoreReason.SCT_INVALID);
    }

    @Test
    void aCertificateBundleVerifiedWithAKeyIsTheWrongMaterial() throws Exception {
        Bundle bundle = Bundle.parse(Files.readAllBytes(caseDir(V01).resolve("bundle.sigstore.json")));
        TrustedRoot root = TrustedRoot.parse(Files.readAllBytes(rootOf(V01)));
        SignerPolicy key = new SignerPolicy.ManagedKey(KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic());
        assertThatThrownBy(() -> new BundleVerifier(root).verify(bundle, key, Digest.sha256(InteropFixtures.bytes("sigstore-conformance/cases/a.txt"))))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.WRONG_MATERIAL));
    }

    @Test
    void aRegexMustMatchTheWholeIdentity() throws Exception {
        Bundle bundle = Bundle.parse(Files.readAllBytes(caseDir(V01).resolve("bundle.sigstore.json")));
        TrustedRoot root = TrustedRoot.parse(Files.readAllBytes(rootOf(V01)));
        Digest artifact = Digest.sha256(InteropFixtures.bytes("sigstore-conformance/cases/a.txt"));
        SignerPolicy partial = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.regex("https://github\\.com/sigstore-conformance/"),
                SignerPolicy.Matcher.exact(SigstoreConformanceCases.DEFAULT_ISSUER));
        assertThatThrownBy(() -> new BundleVerifier(root).verify(bundle, partial, artifact))
                .isInstanceOfSatisfying(SigstoreException.class, e -> assertThat(e.reason()).isEqualTo(SigstoreReason.IDENTITY_MISMATCH));
        SignerPolicy whole = new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.regex("https://github\\.com/sigstore-conformance/.*"),
                SignerPolicy.Matcher.regex("https://token\\.actions\\.githubusercontent\\.com"));
        assertThat(new BundleVerifier(root).verify(bundle, whole, artifact).artifact()).isEqualTo(artifact);
    }
}
