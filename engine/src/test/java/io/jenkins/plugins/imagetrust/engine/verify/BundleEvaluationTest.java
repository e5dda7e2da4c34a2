package io.jenkins.plugins.imagetrust.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.cosign.Dsse;
import io.jenkins.plugins.imagetrust.engine.cosign.InTotoStatement;
import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The policy applied to bundle candidates: the identity rule with and without a subject name, and counting across formats. */
class BundleEvaluationTest {
    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1.0");
    private static final Digest DIGEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    private static Signer signer;

    @BeforeAll
    static void key() throws Exception {
        signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
    }

    @AfterAll
    static void close() {
        signer.close();
    }

    private static SignatureCandidate bundle(byte[] statement) throws Exception {
        byte[] pae = Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement);
        return InTotoStatement.candidate("bundle:test", Digest.sha256(statement), statement, pae, signer.sign(pae));
    }

    /** cosign's statement: no subject name. */
    private static byte[] cosignStatement() {
        return ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" + DIGEST.hex()
                + "\"},\"annotations\":{}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    private static SignatureCheck evaluate(IdentityRule rule, SignatureCandidate... candidates) {
        TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build()).identity(rule).build();
        return new PolicyEvaluator(policy, Clock.systemUTC()).evaluate(IMAGE, DIGEST, List.of(candidates)).signatures().get(0);
    }

    @Test
    void ourStatementIsJudgedByItsNameLikeADockerReference() throws Exception {
        SignatureCandidate ours = bundle(InTotoStatement.create(IMAGE, DIGEST, Map.of()));
        assertThat(evaluate(IdentityRule.SAME_REPOSITORY, ours).counted()).isTrue();
        assertThat(evaluate(IdentityRule.EXACT_REFERENCE, ours).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        SignatureCandidate elsewhere = bundle(InTotoStatement.create(ImageReference.parse("registry.example.com/evil/app"), DIGEST, Map.of()));
        SignatureCheck check = evaluate(IdentityRule.SAME_REPOSITORY, elsewhere);
        assertThat(check.reason()).contains(RejectionReason.REFERENCE_MISMATCH);
        assertThat(check.detail()).contains("registry.example.com/evil/app");
        assertThat(evaluate(IdentityRule.IGNORE, elsewhere).counted()).isTrue();
    }

    @Test
    void cosignsStatementWithoutNameIsBoundByTheDigestOnly() throws Exception {
        SignatureCandidate cosign = bundle(cosignStatement());
        SignatureCheck check = evaluate(IdentityRule.SAME_REPOSITORY, cosign);
        assertThat(check.counted()).isTrue();
        assertThat(check.format()).isEqualTo(SignatureFormat.BUNDLE);
        assertThat(evaluate(IdentityRule.EXACT_REFERENCE, cosign).reason()).contains(RejectionReason.REFERENCE_MISMATCH);
    }

    @Test
    void theSignatureIsOverThePaeNotThePayload() throws Exception {
        byte[] statement = cosignStatement();
        SignatureCandidate overPayload = InTotoStatement.candidate("bundle:test", Digest.sha256(statement), statement,
                Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement), signer.sign(statement));
        assertThat(evaluate(IdentityRule.SAME_REPOSITORY, overPayload).reason()).contains(RejectionReason.NO_TRUSTED_KEY);
    }

    @Test
    void aKeyCountsOnceAcrossFormats() throws Exception {
        byte[] payload = io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload.create(IMAGE, DIGEST, Map.of());
        SignatureCandidate legacy = SimpleSigningPayload.candidate("cosign:test", Digest.sha256(payload), payload, signer.sign(payload));
        TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build()).build();
        VerificationReport report = new PolicyEvaluator(policy, Clock.systemUTC()).evaluate(IMAGE, DIGEST, List.of(legacy, bundle(cosignStatement())));
        assertThat(report.trusted()).isTrue();
        assertThat(report.countedKeys()).hasSize(1);
        assertThat(report.signatures().get(1).reason()).contains(RejectionReason.DUPLICATE_KEY);
        assertThat(report.signatures().get(1).format()).isEqualTo(SignatureFormat.BUNDLE);
        assertThat(report.toJsonTree().at("/signatures/1/format").asText()).isEqualTo("bundle");
    }
}
