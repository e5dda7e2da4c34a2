package io.jenkins.plugins.imagetrust.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every rejection reason of the cosign format, each asserted with its facts. */
class PolicyEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5000/team/app:1.0");
    private static final Digest DIGEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));

    private final KeyPair alice = ecKey();
    private final KeyPair bob = ecKey();

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignatureCandidate signed(KeyPair key, byte[] payload) {
        try {
            Signature signer = SignatureVerifier.newSignature(SignatureScheme.ECDSA_SHA256);
            signer.initSign(key.getPrivate());
            signer.update(payload);
            return SimpleSigningPayload.candidate("test", Digest.sha256(payload), payload, signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] payload(ImageReference repository, Digest digest, Map<String, String> annotations) {
        return SimpleSigningPayload.create(repository, digest, annotations);
    }

    private static byte[] goodPayload() {
        return payload(IMAGE, DIGEST, Map.of());
    }

    private VerificationReport evaluate(TrustPolicy policy, SignatureCandidate... candidates) {
        return new PolicyEvaluator(policy, CLOCK).evaluate(IMAGE, DIGEST, List.of(candidates));
    }

    private TrustPolicy trust(TrustedKey... keys) {
        return TrustPolicy.builder().keys(List.of(keys)).build();
    }

    private TrustedKey.Builder key(String name, KeyPair pair) {
        return TrustedKey.builder(name, pair.getPublic());
    }

    private static void assertRejected(VerificationReport report, RejectionReason reason) {
        assertThat(report.trusted()).isFalse();
        assertThat(report.signatures()).singleElement().satisfies(s -> {
            assertThat(s.counted()).isFalse();
            assertThat(s.reason()).contains(reason);
        });
    }

    @Test
    void aSignatureByATrustedKeyCounts() {
        VerificationReport report = evaluate(trust(key("alice", alice).build()), signed(alice, goodPayload()));
        assertThat(report.trusted()).isTrue();
        assertThat(report.summary()).startsWith("verified 127.0.0.1:5000/team/app:1.0@" + DIGEST).contains("alice");
    }

    @Test
    void unsigned() {
        VerificationReport report = evaluate(trust(key("alice", alice).build()));
        assertThat(report.verdict()).isEqualTo(Verdict.NO_SIGNATURES);
        assertThat(report.summary()).contains("no signatures found");
    }

    @Test
    void untrustedKey() {
        assertRejected(evaluate(trust(key("alice", alice).build()), signed(bob, goodPayload())), RejectionReason.NO_TRUSTED_KEY);
    }

    @Test
    void revokedKey() {
        VerificationReport report = evaluate(trust(key("alice", alice).revoked(true).build()), signed(alice, goodPayload()));
        assertRejected(report, RejectionReason.KEY_REVOKED);
        assertThat(report.signatures().get(0).keyName()).contains("alice");
    }

    @Test
    void keyOutsideItsWindow() {
        assertRejected(evaluate(trust(key("alice", alice).notAfter(NOW.minusSeconds(1)).build()), signed(alice, goodPayload())),
                RejectionReason.KEY_EXPIRED);
        assertRejected(evaluate(trust(key("alice", alice).notBefore(NOW.plusSeconds(1)).build()), signed(alice, goodPayload())),
                RejectionReason.KEY_NOT_YET_VALID);
        assertThat(evaluate(trust(key("alice", alice).notBefore(NOW).notAfter(NOW.plusSeconds(1)).build()), signed(alice, goodPayload()))
                .trusted()).isTrue();
    }

    @Test
    void payloadForAnotherDigest() {
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertRejected(evaluate(trust(key("alice", alice).build()), signed(alice, payload(IMAGE, other, Map.of()))), RejectionReason.DIGEST_MISMATCH);
    }

    @Test
    void tamperedPayload() {
        SignatureCandidate good = signed(alice, goodPayload());
        byte[] tampered = payload(IMAGE, DIGEST, Map.of("x", "y"));
        SignatureCandidate swapped = SimpleSigningPayload.candidate("test", Digest.sha256(tampered), tampered, good.signature());
        assertRejected(evaluate(trust(key("alice", alice).build()), swapped), RejectionReason.NO_TRUSTED_KEY);
    }

    @Test
    void signatureCopiedFromAnotherRepository() {
        byte[] fromElsewhere = payload(ImageReference.parse("127.0.0.1:5000/evil/app"), DIGEST, Map.of());
        assertRejected(evaluate(trust(key("alice", alice).build()), signed(alice, fromElsewhere)), RejectionReason.REFERENCE_MISMATCH);
    }

    @Test
    void thresholdUnmetAndDuplicatesNotCountedTwice() {
        TrustPolicy twoOfTwo = trust(key("alice", alice).build(), key("bob", bob).build()).toBuilder().threshold(2).build();
        VerificationReport report = evaluate(twoOfTwo, signed(alice, goodPayload()), signed(alice, payload(IMAGE, DIGEST, Map.of("again", "1"))));
        assertThat(report.verdict()).isEqualTo(Verdict.THRESHOLD_NOT_MET);
        assertThat(report.countedKeys()).hasSize(1);
        assertThat(report.signatures().get(1).reason()).contains(RejectionReason.DUPLICATE_KEY);
        assertThat(evaluate(twoOfTwo, signed(alice, goodPayload()), signed(bob, goodPayload())).trusted()).isTrue();
    }

    @Test
    void unknownCriticalMember() {
        String json = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{\"docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"cosign container image signature\",\"extra\":1},\"optional\":null}";
        assertRejected(evaluate(trust(key("alice", alice).build()), signed(alice, json.getBytes(StandardCharsets.UTF_8))),
                RejectionReason.UNKNOWN_CRITICAL_MEMBER);
    }

    @Test
    void capitalisedDigestMemberIsRejectedOnPurpose() {
        String json = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{\"Docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        VerificationReport report = evaluate(trust(key("alice", alice).build()), signed(alice, json.getBytes(StandardCharsets.UTF_8)));
        assertRejected(report, RejectionReason.UNKNOWN_CRITICAL_MEMBER);
        assertThat(report.signatures().get(0).detail()).contains("case-sensitive");
    }

    @Test
    void wrongTypeAndMalformedPayloads() {
        String wrongType = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + IMAGE.name() + "\"},\"image\":{\"docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"atomic container signature\"},\"optional\":null}";
        assertRejected(evaluate(trust(key("alice", alice).build()), signed(alice, wrongType.getBytes(StandardCharsets.UTF_8))), RejectionReason.WRONG_TYPE);
        for (String bad : List.of("not json", "[]", "{\"critical\":{}}", "{\"optional\":{}}",
                "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"identity\":{}}}")) {
            assertRejected(evaluate(trust(key("alice", alice).build()), signed(alice, bad.getBytes(StandardCharsets.UTF_8))),
                    bad.equals("{\"critical\":{}}") ? RejectionReason.WRONG_TYPE : RejectionReason.MALFORMED_PAYLOAD);
        }
    }

    @Test
    void optionalNullIsAcceptedAndAnnotationsAreRead() throws Exception {
        assertThat(new String(goodPayload(), StandardCharsets.UTF_8)).endsWith(",\"optional\":null}");
        byte[] annotated = payload(IMAGE, DIGEST, Map.of("b", "2", "a", "1"));
        assertThat(new String(annotated, StandardCharsets.UTF_8)).endsWith(",\"optional\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(SimpleSigningPayload.parse(annotated).annotations()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void unusableCandidatesKeepTheirReason() {
        VerificationReport report = evaluate(trust(key("alice", alice).build()),
                SignatureCandidate.unusable(SignatureFormat.LEGACY, "test", DIGEST, RejectionReason.PAYLOAD_UNAVAILABLE, "blob did not match its digest"));
        assertRejected(report, RejectionReason.PAYLOAD_UNAVAILABLE);
        assertThat(report.toJson()).contains("\"reason\" : \"PAYLOAD_UNAVAILABLE\"").contains("blob did not match its digest");
    }
}
