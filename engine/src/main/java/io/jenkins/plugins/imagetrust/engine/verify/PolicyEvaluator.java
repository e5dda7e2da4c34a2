package io.jenkins.plugins.imagetrust.engine.verify;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link TrustPolicy} to the signatures found for one image digest, in either format.
 *
 * <p>Order per signature, cheapest trust decision first and nothing parsed before it is authenticated:
 * (1) the signature must verify under a trusted key over the exact signed bytes (the simple-signing payload, the
 * DSSE PAE of a bundle's statement, or the image manifest for a bundle's message signature); (2) that key must be
 * usable now (not revoked, inside its window); (3) only then is the payload parsed, and it must be of the cosign
 * type (simple signing, or predicateType {@code https://sigstore.dev/cosign/sign/v1}), name exactly this digest,
 * satisfy the identity rule and carry the required annotations; (4) a key counts once, across both formats.
 *
 * <p>A bundle statement subject without {@code name} (cosign writes none) and a message signature name no
 * repository: the same-repository and ignore rules accept them, bound by the digest and by where they were found;
 * the exact-reference rule cannot, and rejects them.
 */
public final class PolicyEvaluator {
    private final TrustPolicy policy;
    private final Clock clock;

    public PolicyEvaluator(TrustPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy);
        this.clock = Objects.requireNonNull(clock);
    }

    public VerificationReport evaluate(ImageReference image, Digest digest, List<SignatureCandidate> candidates) {
        Instant now = clock.instant();
        Set<KeyId> counted = new HashSet<>();
        List<SignatureCheck> checks = new ArrayList<>();
        for (SignatureCandidate candidate : candidates) {
            SignatureCheck check = judge(candidate, image, digest, now, counted);
            if (check.counted()) {
                check.keyId().ifPresent(counted::add);
            }
            checks.add(check);
        }
        Verdict verdict;
        if (counted.size() >= policy.threshold()) {
            verdict = Verdict.TRUSTED;
        } else if (candidates.isEmpty()) {
            verdict = Verdict.NO_SIGNATURES;
        } else {
            verdict = Verdict.THRESHOLD_NOT_MET;
        }
        List<String> notCounted = new ArrayList<>();
        for (TrustedKey key : policy.keys()) {
            if (!counted.contains(key.id())) {
                notCounted.add(key.label());
            }
        }
        return new VerificationReport(image, digest, policy.mode(), policy.threshold(), verdict, checks, now, notCounted);
    }

    private SignatureCheck judge(SignatureCandidate candidate, ImageReference image, Digest digest, Instant now, Set<KeyId> counted) {
        if (candidate.problemReason().isPresent()) {
            return rejected(candidate, null, candidate.problemReason().get(), candidate.problemDetail(), Map.of());
        }
        byte[] signedBytes = candidate.signedBytes();
        byte[] signature = candidate.signature();
        List<TrustedKey> verifying = new ArrayList<>();
        for (TrustedKey key : policy.keys()) {
            if (SignatureVerifier.verify(key.publicKey(), key.scheme(), signedBytes, signature)) {
                verifying.add(key);
            }
        }
        if (verifying.isEmpty()) {
            return rejected(candidate, null, RejectionReason.NO_TRUSTED_KEY,
                    "no trusted key (of " + policy.keys().size() + ") verifies this signature over payload " + candidate.payloadDigest(), Map.of());
        }
        TrustedKey key = null;
        Optional<RejectionReason> keyProblem = Optional.empty();
        for (TrustedKey k : verifying) {
            Optional<RejectionReason> problem = k.unusableAt(now);
            if (problem.isEmpty()) {
                key = k;
                break;
            }
            if (keyProblem.isEmpty()) {
                keyProblem = problem;
                key = k;
            }
        }
        if (keyProblem.isPresent() && key.unusableAt(now).isPresent()) {
            return rejected(candidate, key, keyProblem.get(), "key " + key.label() + " " + windowText(key, now), Map.of());
        }
        Claims claims;
        try {
            claims = candidate.claims().read(digest);
        } catch (MalformedSignatureException e) {
            return rejected(candidate, key, e.reason(), e.getMessage(), Map.of());
        }
        Map<String, String> annotations = claims.annotations();
        if (!claims.namesImage()) {
            return rejected(candidate, key, claims.otherImage(), claims.signed() + ", the image is " + digest, annotations);
        }
        if (claims.identity().isPresent()) {
            if (!policy.identity().accepts(claims.identity().get(), image)) {
                return rejected(candidate, key, RejectionReason.REFERENCE_MISMATCH, "payload names '" + claims.identity().get()
                        + "', which the " + policy.identity().id() + " rule does not accept for " + image, annotations);
            }
        } else if (policy.identity() == IdentityRule.EXACT_REFERENCE) {
            return rejected(candidate, key, RejectionReason.REFERENCE_MISMATCH, "the signature names no reference (" + claims.signed()
                    + "), so the " + policy.identity().id() + " rule cannot accept it for " + image, annotations);
        }
        for (Map.Entry<String, String> required : policy.requiredAnnotations().entrySet()) {
            String actual = annotations.get(required.getKey());
            if (!required.getValue().equals(actual)) {
                return rejected(candidate, key, RejectionReason.MISSING_ANNOTATION, "annotation '" + required.getKey() + "' is "
                        + (actual == null ? "absent" : "'" + actual + "'") + ", required '" + required.getValue() + "'", annotations);
            }
        }
        if (counted.contains(key.id())) {
            return rejected(candidate, key, RejectionReason.DUPLICATE_KEY, "key " + key.label() + " already counted once", annotations);
        }
        return new SignatureCheck(candidate.source(), candidate.payloadDigest(), Optional.of(key.id()), Optional.of(key.name()), true,
                Optional.empty(), "signed by " + key.label(), annotations, candidate.format());
    }

    private static String windowText(TrustedKey key, Instant now) {
        if (key.revoked()) {
            return "is revoked";
        }
        return "is valid " + key.notBefore().map(Instant::toString).orElse("-∞") + " to "
                + key.notAfter().map(Instant::toString).orElse("∞") + ", and now is " + now;
    }

    private static SignatureCheck rejected(SignatureCandidate candidate, TrustedKey key, RejectionReason reason, String detail,
            Map<String, String> annotations) {
        return new SignatureCheck(candidate.source(), candidate.payloadDigest(),
                Optional.ofNullable(key).map(TrustedKey::id), Optional.ofNullable(key).map(TrustedKey::name), false,
                Optional.of(reason), detail, annotations, candidate.format());
    }
}
