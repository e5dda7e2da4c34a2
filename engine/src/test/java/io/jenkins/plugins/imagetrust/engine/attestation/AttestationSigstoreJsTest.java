package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.cosign.SigstoreBundle;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.SigstoreJs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** sigstore-js, an independent implementation, verifies the attestation bundles we make, and we verify the ones it signs. */
class AttestationSigstoreJsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final Digest IMAGE = StatementTest.AMD64;
    private static SigstoreJs sigstoreJs;

    @BeforeAll
    static void sigstoreJs() {
        sigstoreJs = SigstoreJs.require();
    }

    private static byte[] provenanceStatement() {
        JenkinsBuild build = new JenkinsBuild("https://ci.example/job/app/", "https://ci.example/job/app/7/", "app", NOW, NOW, Optional.empty(),
                Map.of("CHANNEL", "stable"), "2.541.3", "1.0.0", List.of());
        return Statement.write(Statement.subjectsForIndex(StatementTest.IMAGE, StatementTest.INDEX, List.of(IMAGE)),
                PredicateTypes.SLSA_PROVENANCE_V1, SlsaProvenance.predicate(build));
    }

    private static SigstoreJs.Run verify(Path dir, String bundle, Digest digest) throws Exception {
        return sigstoreJs.run(SigstoreBundle.class, dir, "sigstore-js-verify.js", bundle, "key.pem",
                digest.toString());
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048", "ED25519"})
    void sigstoreJsVerifiesOurProvenanceBundle(KeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
        try (Signer signer = new InMemorySigner(KeyPairs.generate(algorithm))) {
            byte[] bundle = Envelope.signStatement(signer, provenanceStatement()).toBundle(signer.publicKey());
            Files.write(dir.resolve("bundle.json"), bundle);
            Files.writeString(dir.resolve("key.pem"), PublicKeys.toPem(signer.publicKey()));

            SigstoreJs.Run accepted = verify(dir, "bundle.json", IMAGE);
            assertThat(accepted.exitCode()).as(accepted.output()).isZero();
            assertThat(accepted.output()).contains("sigstore-js verified: https://slsa.dev/provenance/v1 for " + IMAGE);
            assertThat(verify(dir, "bundle.json", StatementTest.INDEX).exitCode()).isZero(); // the index is a subject too

            SigstoreJs.Run otherImage = verify(dir, "bundle.json", StatementTest.ARM64);
            assertThat(otherImage.exitCode()).isNotZero();
            assertThat(otherImage.output()).contains("does not name");

            JsonNode tree = JSON.readTree(bundle);
            String statement = new String(Base64.getDecoder().decode(tree.at("/dsseEnvelope/payload").asText()), StandardCharsets.UTF_8);
            ((ObjectNode) tree.get("dsseEnvelope")).put("payload", Base64.getEncoder().encodeToString(
                    statement.replace("https://ci.example/job/app/", "https://ci.evil0/job/app/").getBytes(StandardCharsets.UTF_8)));
            Files.write(dir.resolve("tampered.json"), JSON.writeValueAsBytes(tree));
            SigstoreJs.Run tampered = verify(dir, "tampered.json", IMAGE);
            assertThat(tampered.exitCode()).isNotZero();
            assertThat(tampered.output()).contains("SIGNATURE_ERROR");
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "ED25519"})
    void weVerifyAProvenanceBundleSigstoreJsSigned(KeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
        KeyPair pair = KeyPairs.generate(algorithm);
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.write(dir.resolve("statement.json"), provenanceStatement());
        SigstoreJs.Run signed = sigstoreJs.run(AttestationSigstoreJsTest.class, dir, "sigstore-js-attest.js", "key.pem", "statement.json");
        Files.delete(dir.resolve("key.pem"));
        assertThat(signed.exitCode()).as(signed.output()).isZero();

        SigstoreBundle bundle = SigstoreBundle.parse(signed.output().getBytes(StandardCharsets.UTF_8));
        Envelope envelope = Envelope.of((SigstoreBundle.DsseContent) bundle.content());
        List<TrustedKey> keys = List.of(TrustedKey.builder("release", pair.getPublic()).build());

        AttestationOutcome outcome = AttestationVerifier.verify(envelope, IMAGE, keys, NOW, Set.of(PredicateTypes.SLSA_PROVENANCE_V1));
        assertThat(outcome).isInstanceOfSatisfying(VerifiedAttestation.class, verified -> {
            assertThat(verified.predicate().at("/runDetails/builder/id").asText()).isEqualTo("https://ci.example/job/app/");
            RequirementResult result = new AttestationRequirement("slsaprovenance1", 1, List.of("release"),
                    List.of(new PredicateRule(PredicateRule.Field.BUILDER_ID, "https://ci.example/job/app/"))).evaluate(List.of(verified));
            assertThat(result.satisfied()).isTrue();
        });
        // controls: the same bundle for another digest, under another key, or not asked for
        assertThat(((RejectedAttestation) AttestationVerifier.verify(envelope, StatementTest.ARM64, keys, NOW,
                Set.of(PredicateTypes.SLSA_PROVENANCE_V1))).reason()).isEqualTo(AttestationReason.ATTESTATION_SUBJECT_MISMATCH);
        List<TrustedKey> stranger = List.of(TrustedKey.builder("other", KeyPairs.generate(algorithm).getPublic()).build());
        assertThat(((RejectedAttestation) AttestationVerifier.verify(envelope, IMAGE, stranger, NOW, Set.of(PredicateTypes.SLSA_PROVENANCE_V1)))
                .reason()).isEqualTo(AttestationReason.SIGNATURE_INVALID);
        assertThat(((RejectedAttestation) AttestationVerifier.verify(envelope, IMAGE, keys, NOW, Set.of(PredicateTypes.SPDX))).reason())
                .isEqualTo(AttestationReason.PREDICATE_TYPE_NOT_REQUIRED);
    }
}
