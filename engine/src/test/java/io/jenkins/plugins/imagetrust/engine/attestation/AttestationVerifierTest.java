package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.cosign.InTotoStatement;
import io.jenkins.plugins.imagetrust.engine.cosign.SigstoreBundle;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each attack row has its control: the same envelope made correctly verifies. */
class AttestationVerifierTest {
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final Digest IMAGE = StatementTest.AMD64;
    private static final Set<String> PROVENANCE = Set.of(PredicateTypes.SLSA_PROVENANCE_V1);
    private static Signer signer;
    private static Signer stranger;
    private static List<TrustedKey> keys;

    @BeforeAll
    static void keys() throws Exception {
        signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        stranger = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        keys = List.of(TrustedKey.builder("release", signer.publicKey()).build());
    }

    @AfterAll
    static void close() {
        signer.close();
        stranger.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] statement(Digest subject, String predicateType) {
        return Statement.write(List.of(Subject.of(StatementTest.IMAGE, subject)), predicateType,
                StatementTest.predicate("https://ci.example/job/app/"));
    }

    private static AttestationOutcome verify(Envelope envelope) {
        return AttestationVerifier.verify(envelope.toJson(), IMAGE, keys, NOW, PROVENANCE);
    }

    private static void assertRejected(AttestationOutcome outcome, AttestationReason reason, String detail) {
        assertThat(outcome).isInstanceOfSatisfying(RejectedAttestation.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(reason);
            assertThat(rejected.detail()).contains(detail).doesNotContain("\n");
        });
        assertThat(outcome.verified()).isFalse();
    }

    @Test
    void control_aProvenanceForThisDigestByATrustedKeyVerifies() throws Exception {
        AttestationOutcome outcome = verify(Envelope.signStatement(signer, statement(IMAGE, PredicateTypes.SLSA_PROVENANCE_V1)));

        assertThat(outcome).isInstanceOfSatisfying(VerifiedAttestation.class, verified -> {
            assertThat(verified.predicateType()).isEqualTo(PredicateTypes.SLSA_PROVENANCE_V1);
            assertThat(verified.keyIds()).containsExactly(signer.keyId());
            assertThat(verified.signers()).extracting(TrustedKey::name).containsExactly("release");
            assertThat(verified.predicate().at("/runDetails/builder/id").asText()).isEqualTo("https://ci.example/job/app/");
        });
    }

    @Test
    void anEnvelopeFromASigstoreBundleVerifiesTheSameWay() throws Exception {
        Envelope envelope = Envelope.signStatement(signer, statement(IMAGE, PredicateTypes.SLSA_PROVENANCE_V1));
        SigstoreBundle bundle = SigstoreBundle.parse(envelope.toBundle(signer.publicKey()));

        AttestationOutcome outcome = AttestationVerifier.verify(Envelope.of((SigstoreBundle.DsseContent) bundle.content()), IMAGE, keys, NOW, PROVENANCE);
        assertThat(outcome.verified()).isTrue();
    }

    @Test
    void aSwappedSubjectIsAnotherImagesAttestation() throws Exception {
        Digest other = StatementTest.ARM64;
        assertRejected(verify(Envelope.signStatement(signer, statement(other, PredicateTypes.SLSA_PROVENANCE_V1))),
                AttestationReason.ATTESTATION_SUBJECT_MISMATCH, other.hex());
        // an index's attestation names each platform: it verifies for any of them
        byte[] forIndex = Statement.write(Statement.subjectsForIndex(StatementTest.IMAGE, StatementTest.INDEX, List.of(other, IMAGE)),
                PredicateTypes.SLSA_PROVENANCE_V1, StatementTest.predicate("b"));
        assertThat(verify(Envelope.signStatement(signer, forIndex)).verified()).isTrue();
    }

    @Test
    void aPayloadTypeOtherThanInTotoIsRefusedEvenWithTheSameBytes() throws Exception {
        byte[] statement = statement(IMAGE, PredicateTypes.SLSA_PROVENANCE_V1);
        assertRejected(verify(Envelope.sign(signer, "application/json", statement)), AttestationReason.PAYLOAD_TYPE_NOT_IN_TOTO,
                "\"application/json\"");
        // the PAE binds the type: relabelling a signed in-toto envelope breaks the signature
        String relabelled = new String(Envelope.signStatement(signer, statement).toJson(), StandardCharsets.UTF_8)
                .replace("application/vnd.in-toto+json", "application/vnd.in-toto+jsoN");
        assertRejected(AttestationVerifier.verify(bytes(relabelled), IMAGE, keys, NOW, PROVENANCE), AttestationReason.SIGNATURE_INVALID, "PAE");
    }

    @Test
    void predicateTypeConfusionIsRefused() throws Exception {
        // an SBOM, a cosign image signature statement, a v0.2 provenance and near-miss URIs are not SLSA v1 provenance
        for (String type : List.of(PredicateTypes.SPDX, InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE, PredicateTypes.SLSA_PROVENANCE_V02,
                "https://slsa.dev/provenance/v1/", "https://SLSA.dev/provenance/v1", "https://slsa.dev/provenance/v1#x")) {
            assertRejected(verify(Envelope.signStatement(signer, statement(IMAGE, type))), AttestationReason.PREDICATE_TYPE_NOT_REQUIRED,
                    "\"" + type + "\"");
        }
        // cosign's own image signature statement (no predicate members, a subject without name)
        byte[] cosignSignature = InTotoStatement.create(StatementTest.IMAGE, IMAGE, Map.of());
        assertRejected(verify(Envelope.signStatement(signer, cosignSignature)), AttestationReason.PREDICATE_TYPE_NOT_REQUIRED, "cosign/sign/v1");
        // control: asked for, the same SBOM statement verifies
        AttestationOutcome sbom = AttestationVerifier.verify(Envelope.signStatement(signer, statement(IMAGE, PredicateTypes.SPDX)).toJson(), IMAGE,
                keys, NOW, Set.of(PredicateTypes.SPDX, PredicateTypes.SLSA_PROVENANCE_V1));
        assertThat(sbom.verified()).isTrue();
    }

    @Test
    void aSignedStatementThatDoesNotParseIsRefusedAfterItsSignature() throws Exception {
        String subject = "\"subject\":[{\"digest\":{\"sha256\":\"" + IMAGE.hex() + "\"}}]";
        String good = "{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"https://slsa.dev/provenance/v1\"}";
        assertThat(verify(Envelope.signStatement(signer, bytes(good))).verified()).isTrue();

        for (String bad : List.of("not json", "{\"_type\":\"https://in-toto.io/Statement/v1\"}",
                // duplicate members: Go would take the last predicateType, another reader the first
                "{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject + ",\"predicateType\":\"https://slsa.dev/provenance/v1\","
                        + "\"predicateType\":\"https://spdx.dev/Document\"}",
                "{\"_type\":\"https://in-toto.io/Statement/v1\"," + subject.replace("\"sha256\"", "\"sha256\":\"x\",\"sha256\"")
                        + ",\"predicateType\":\"https://slsa.dev/provenance/v1\"}",
                good + " trailing")) {
            assertRejected(verify(Envelope.signStatement(signer, bytes(bad))), AttestationReason.STATEMENT_MALFORMED, "");
        }
        // an unsigned malformed statement is not even parsed: its signature is what fails
        assertRejected(verify(Envelope.signStatement(stranger, bytes("not json"))), AttestationReason.SIGNATURE_INVALID, "of 1");
    }

    @Test
    void oversizedInputIsRefused() throws Exception {
        String head = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" + IMAGE.hex() + "\"}}],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"pad\":\"";
        byte[] over = bytes(head + "x".repeat(Statement.MAX_BYTES) + "\"}}");
        assertRejected(verify(Envelope.signStatement(signer, over)), AttestationReason.STATEMENT_MALFORMED, "at most " + Statement.MAX_BYTES);
        byte[] farOver = bytes(head + "x".repeat(Statement.MAX_BYTES + 100 * 1024) + "\"}}");
        assertRejected(verify(Envelope.signStatement(signer, farOver)), AttestationReason.ENVELOPE_MALFORMED, "at most " + Envelope.MAX_BYTES);
        byte[] fits = bytes(head + "x".repeat(Statement.MAX_BYTES - head.length() - 10) + "\"}}");
        assertThat(verify(Envelope.signStatement(signer, fits)).verified()).isTrue();
    }

    @Test
    void signaturesMustVerifyUnderAUsableTrustedKey() throws Exception {
        byte[] statement = statement(IMAGE, PredicateTypes.SLSA_PROVENANCE_V1);
        assertRejected(verify(Envelope.signStatement(stranger, statement)), AttestationReason.SIGNATURE_INVALID, "no trusted key (of 1)");

        // altered payload: the signature was over other bytes
        Envelope signed = Envelope.signStatement(signer, statement);
        String json = new String(signed.toJson(), StandardCharsets.UTF_8);
        String payload = Base64.getEncoder().encodeToString(statement);
        String altered = Base64.getEncoder().encodeToString(new String(statement, StandardCharsets.UTF_8)
                .replace("https://ci.example/job/app/", "https://ci.evil/job/app/").getBytes(StandardCharsets.UTF_8));
        assertRejected(AttestationVerifier.verify(bytes(json.replace(payload, altered)), IMAGE, keys, NOW, PROVENANCE),
                AttestationReason.SIGNATURE_INVALID, "");

        // a signature over the bare statement instead of the PAE
        String bare = Base64.getEncoder().encodeToString(signer.sign(statement));
        String sig = Base64.getEncoder().encodeToString(signed.signatures().get(0).sig());
        assertRejected(AttestationVerifier.verify(bytes(json.replace(sig, bare)), IMAGE, keys, NOW, PROVENANCE),
                AttestationReason.SIGNATURE_INVALID, "");

        // one good signature among strangers' is enough, and names the trusted key
        String twoSignatures = json.replace("\"signatures\":[", "\"signatures\":[{\"keyid\":\"x\",\"sig\":\""
                + Base64.getEncoder().encodeToString(stranger.sign(signed.pae())) + "\"},");
        assertThat(AttestationVerifier.verify(bytes(twoSignatures), IMAGE, keys, NOW, PROVENANCE)).isInstanceOfSatisfying(
                VerifiedAttestation.class, v -> assertThat(v.keyIds()).containsExactly(signer.keyId()));

        List<TrustedKey> revoked = List.of(TrustedKey.builder("release", signer.publicKey()).revoked(true).build());
        assertRejected(AttestationVerifier.verify(signed, IMAGE, revoked, NOW, PROVENANCE), AttestationReason.KEY_REVOKED, "release");
        List<TrustedKey> expired = List.of(TrustedKey.builder("release", signer.publicKey()).notAfter(NOW).build());
        assertRejected(AttestationVerifier.verify(signed, IMAGE, expired, NOW, PROVENANCE), AttestationReason.KEY_EXPIRED, "release");
        List<TrustedKey> early = List.of(TrustedKey.builder("release", signer.publicKey()).notBefore(NOW.plusSeconds(1)).build());
        assertRejected(AttestationVerifier.verify(signed, IMAGE, early, NOW, PROVENANCE), AttestationReason.KEY_NOT_YET_VALID, "release");
        // a second, usable copy of the key wins over the revoked one
        List<TrustedKey> both = List.of(revoked.get(0), TrustedKey.builder("release-2", signer.publicKey()).build());
        assertThat(AttestationVerifier.verify(signed, IMAGE, both, NOW, PROVENANCE)).isInstanceOfSatisfying(VerifiedAttestation.class,
                v -> assertThat(v.signers()).extracting(TrustedKey::name).containsExactly("release-2"));
    }

    @Test
    void aMalformedEnvelopeIsRefused() {
        assertRejected(AttestationVerifier.verify(bytes("{\"payloadType\":1}"), IMAGE, keys, NOW, PROVENANCE),
                AttestationReason.ENVELOPE_MALFORMED, "payloadType");
    }
}
