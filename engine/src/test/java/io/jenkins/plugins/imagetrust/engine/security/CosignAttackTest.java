package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.keys.EcdsaSignatures;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.verify.PolicyEvaluator;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cosign-format attacks on the policy evaluator that {@code verify.PolicyEvaluatorTest} does not already cover:
 * algorithm and key-type confusion, signature encodings other than cosign's, and {@code optional: null} meeting a
 * required annotation. Each attack must be rejected with its specific reason, never counted.
 */
class CosignAttackTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5000/team/app:1.0");
    private static final Digest DIGEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    private static final byte[] PAYLOAD = SimpleSigningPayload.create(IMAGE, DIGEST, Map.of());

    private static KeyPair generate(KeyAlgorithm algorithm) throws Exception {
        return KeyPairs.generate(algorithm);
    }

    private static SignatureCandidate signedBy(Signer signer, byte[] payload) throws Exception {
        return SimpleSigningPayload.candidate("attack", Digest.sha256(payload), payload, signer.sign(payload));
    }

    private static VerificationReport evaluate(TrustPolicy policy, SignatureCandidate candidate) {
        return new PolicyEvaluator(policy, CLOCK).evaluate(IMAGE, DIGEST, List.of(candidate));
    }

    private static void assertNotCounted(VerificationReport report, RejectionReason reason) {
        assertThat(report.trusted()).isFalse();
        assertThat(report.signatures()).singleElement().satisfies(check -> {
            assertThat(check.counted()).isFalse();
            assertThat(check.reason()).contains(reason);
        });
    }

    /**
     * The trusted key is of one type; the signature was made by an attacker's key of another type over the genuine
     * payload. A verifier that picked the algorithm from the signature (or tried every algorithm) could be fooled.
     */
    @ParameterizedTest(name = "trusted {0}, signature by {1}")
    @CsvSource({"RSA_2048, ECDSA_P256", "ECDSA_P256, RSA_2048", "ED25519, ECDSA_P256", "ECDSA_P256, ED25519", "ECDSA_P384, ECDSA_P256",
            "RSA_2048, ED25519"})
    void algorithmConfusionIsNoTrustedKey(KeyAlgorithm trusted, KeyAlgorithm attacker) throws Exception {
        KeyPair trustedPair = generate(trusted);
        try (Signer attackerSigner = new InMemorySigner(generate(attacker)); Signer genuine = new InMemorySigner(trustedPair)) {
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("release", trustedPair.getPublic()).build()).build();
            assertNotCounted(evaluate(policy, signedBy(attackerSigner, PAYLOAD)), RejectionReason.NO_TRUSTED_KEY);
            // control: the same payload signed by the trusted key counts, so the rejection above is about the key type
            assertThat(evaluate(policy, signedBy(genuine, PAYLOAD)).trusted()).isTrue();
        }
    }

    /** The trusted key's own signature, but under a scheme the policy did not name (PSS where PKCS#1 v1.5 is trusted, and back). */
    @Test
    void rsaSchemeConfusionWithTheTrustedKeyItself() throws Exception {
        KeyPair pair = generate(KeyAlgorithm.RSA_2048);
        try (Signer pss = new InMemorySigner(pair, SignatureScheme.RSA_PSS_SHA256);
                Signer pkcs1 = new InMemorySigner(pair, SignatureScheme.RSA_PKCS1_SHA256)) {
            TrustPolicy trustsPkcs1 = TrustPolicy.builder().key(TrustedKey.builder("release", pair.getPublic()).build()).build();
            TrustPolicy trustsPss = TrustPolicy.builder()
                    .key(TrustedKey.builder("release", pair.getPublic()).scheme(SignatureScheme.RSA_PSS_SHA256).build()).build();
            assertNotCounted(evaluate(trustsPkcs1, signedBy(pss, PAYLOAD)), RejectionReason.NO_TRUSTED_KEY);
            assertNotCounted(evaluate(trustsPss, signedBy(pkcs1, PAYLOAD)), RejectionReason.NO_TRUSTED_KEY);
        }
    }

    /** A policy cannot be written so that a key is checked under a scheme of another key type. */
    @Test
    void aSchemeThatDoesNotFitTheKeyIsRefusedWhenThePolicyIsBuilt() throws Exception {
        KeyPair rsa = generate(KeyAlgorithm.RSA_2048);
        KeyPair ec = generate(KeyAlgorithm.ECDSA_P256);
        assertThatThrownBy(() -> TrustedKey.builder("confused", rsa.getPublic()).scheme(SignatureScheme.ECDSA_SHA256).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confused").hasMessageContaining("does not fit");
        assertThatThrownBy(() -> TrustedKey.builder("confused", ec.getPublic()).scheme(SignatureScheme.ED25519).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    /**
     * cosign stores ECDSA signatures as ASN.1 DER. The raw r‖s form of the same valid signature is not accepted, nor is
     * DER with trailing bytes: one valid encoding per signature, so nothing can be re-encoded into a "new" signature.
     */
    @Test
    void ecdsaSignaturesOnlyInDer() throws Exception {
        KeyPair pair = generate(KeyAlgorithm.ECDSA_P256);
        try (Signer signer = new InMemorySigner(pair)) {
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("release", pair.getPublic()).build()).build();
            byte[] der = signer.sign(PAYLOAD);
            byte[] raw = EcdsaSignatures.derToRaw(der, EcdsaSignatures.scalarBytes(pair.getPublic()));
            assertNotCounted(evaluate(policy, SimpleSigningPayload.candidate("raw", Digest.sha256(PAYLOAD), PAYLOAD, raw)), RejectionReason.NO_TRUSTED_KEY);
            byte[] padded = java.util.Arrays.copyOf(der, der.length + 1);
            assertNotCounted(evaluate(policy, SimpleSigningPayload.candidate("padded", Digest.sha256(PAYLOAD), PAYLOAD, padded)),
                    RejectionReason.NO_TRUSTED_KEY);
            assertThat(evaluate(policy, SimpleSigningPayload.candidate("der", Digest.sha256(PAYLOAD), PAYLOAD, der)).trusted()).isTrue();
        }
    }

    /** {@code "optional": null} is valid (cosign writes it), but it carries no annotations: a required one is absent. */
    @Test
    void optionalNullDoesNotSatisfyARequiredAnnotation() throws Exception {
        KeyPair pair = generate(KeyAlgorithm.ECDSA_P256);
        try (Signer signer = new InMemorySigner(pair)) {
            assertThat(new String(PAYLOAD, StandardCharsets.UTF_8)).endsWith("\"optional\":null}");
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("release", pair.getPublic()).build())
                    .requiredAnnotation("git", "abc123").build();
            VerificationReport report = evaluate(policy, signedBy(signer, PAYLOAD));
            assertNotCounted(report, RejectionReason.MISSING_ANNOTATION);
            assertThat(report.signatures().get(0).detail()).contains("'git' is absent");
            // no 'optional' member at all reads the same way; a non-object 'optional' is malformed
            byte[] withoutOptional = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{"
                    + "\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            assertNotCounted(evaluate(policy, signedBy(signer, withoutOptional)), RejectionReason.MISSING_ANNOTATION);
            byte[] optionalString = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{"
                    + "\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":\"git=abc123\"}")
                    .getBytes(StandardCharsets.UTF_8);
            assertNotCounted(evaluate(policy, signedBy(signer, optionalString)), RejectionReason.MALFORMED_PAYLOAD);
        }
    }

    /** An annotation value of another JSON type (number, object) is not the required string. */
    @Test
    void annotationOfAnotherJsonTypeIsNotTheRequiredString() throws Exception {
        KeyPair pair = generate(KeyAlgorithm.ECDSA_P256);
        try (Signer signer = new InMemorySigner(pair)) {
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("release", pair.getPublic()).build())
                    .requiredAnnotation("build", "7").build();
            for (String value : List.of("7", "{\"v\":\"7\"}", "[\"7\"]")) {
                byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{"
                        + "\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"build\":"
                        + value + "}}").getBytes(StandardCharsets.UTF_8);
                assertNotCounted(evaluate(policy, signedBy(signer, payload)), RejectionReason.MISSING_ANNOTATION);
            }
        }
    }
}
