package io.jenkins.plugins.imagetrust.engine.verify;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.KeylessMaterial;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.VerifiedBundle;
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
 * A keyless signature (a candidate with {@link KeylessMaterial}) that no trusted key verifies takes step (1) and (2)
 * with the trusted identities instead: its material must verify against an identity's trusted root and rules, and
 * that identity must be usable now; an identity is one vote, like a key.
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
        Set<String> counted = new HashSet<>();
        List<SignatureCheck> checks = new ArrayList<>();
        for (SignatureCandidate candidate : candidates) {
            Judgement judgement = judge(candidate, image, digest, now, counted);
            if (judgement.check().counted()) {
                counted.add(judgement.vote());
            }
            checks.add(judgement.check());
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
            if (!counted.contains(Vote.of(key).id())) {
                notCounted.add(key.label());
            }
        }
        for (TrustedIdentity identity : policy.identities()) {
            if (!counted.contains(Vote.of(identity, null).id())) {
                notCounted.add(identity.label());
            }
        }
        return new VerificationReport(image, digest, policy.mode(), policy.threshold(), verdict, checks, now, notCounted);
    }

    /** One check, and the vote it casts when counted. */
    private record Judgement(SignatureCheck check, String vote) {
    }

    /** Who a signature verified under: a trusted key, or a trusted identity with the certificate that signed. */
    private record Vote(String id, Optional<KeyId> keyId, Optional<String> name, Optional<SignatureCheck.KeylessSigner> keyless,
            String label) {
        static Vote of(TrustedKey key) {
            return new Vote("key:" + key.id().hex(), Optional.of(key.id()), Optional.of(key.name()), Optional.empty(), key.label());
        }

        static Vote of(TrustedIdentity identity, VerifiedBundle verified) {
            Optional<SignatureCheck.KeylessSigner> signer = Optional.ofNullable(verified)
                    .map(v -> v.signer() instanceof VerifiedBundle.CertificateSigner c ? c.identity() : null)
                    .map(certificate -> new SignatureCheck.KeylessSigner(identity.name(), certificate));
            return new Vote("identity:" + identity.name(), Optional.empty(), Optional.of(identity.name()), signer,
                    "identity " + identity.name() + signer.map(k -> ": " + k.describe()).orElse(""));
        }
    }

    private Judgement judge(SignatureCandidate candidate, ImageReference image, Digest digest, Instant now, Set<String> counted) {
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
            if (candidate.keylessMaterial().isPresent() && !policy.identities().isEmpty()) {
                return judgeKeyless(candidate, candidate.keylessMaterial().get(), image, digest, now, counted);
            }
            return rejected(candidate, null, RejectionReason.NO_TRUSTED_KEY,
                    "no trusted key (of " + policy.keys().size() + ") verifies this signature over payload " + candidate.payloadDigest()
                            + (candidate.keylessMaterial().isPresent() ? "; it is a keyless (certificate) signature and the policy trusts no identity"
                                    : ""), Map.of());
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
            return rejected(candidate, Vote.of(key), keyProblem.get(), "key " + key.label() + " " + key.window().describeAt(now), Map.of());
        }
        return judgeClaims(candidate, Vote.of(key), image, digest, counted);
    }

    /**
     * A keyless signature: its material is verified against each trusted identity (its root, its certificate rules)
     * until one accepts it and is usable now. When none accepts it, the reason is that of the material itself (a
     * failure other than the identity rules, which would fail under every identity of that root), else the first.
     */
    private Judgement judgeKeyless(SignatureCandidate candidate, KeylessMaterial material, ImageReference image, Digest digest, Instant now,
            Set<String> counted) {
        Vote unusable = null;
        RejectionReason unusableReason = null;
        String unusableDetail = null;
        SigstoreException failure = null;
        TrustedIdentity failedUnder = null;
        for (TrustedIdentity identity : policy.identities()) {
            VerifiedBundle verified;
            try {
                verified = material.verify(identity.verifier(), identity.identity());
            } catch (SigstoreException e) {
                if (failure == null || isIdentityRule(failure.reason()) && !isIdentityRule(e.reason())) {
                    failure = e;
                    failedUnder = identity;
                }
                continue;
            }
            Optional<RejectionReason> problem = identity.unusableAt(now);
            if (problem.isEmpty()) {
                return judgeClaims(candidate, Vote.of(identity, verified), image, digest, counted);
            }
            if (unusable == null) {
                unusable = Vote.of(identity, verified);
                unusableReason = problem.get();
                unusableDetail = unusable.label() + " " + identity.window().describeAt(now);
            }
        }
        if (unusable != null) {
            return rejected(candidate, unusable, unusableReason, unusableDetail, Map.of());
        }
        return rejected(candidate, null, RejectionReason.of(failure.reason()), "no trusted identity (of " + policy.identities().size()
                + ") accepts this keyless signature; under " + failedUnder.name() + ": " + failure.getMessage(), Map.of());
    }

    private static boolean isIdentityRule(SigstoreReason reason) {
        return reason == SigstoreReason.IDENTITY_MISMATCH || reason == SigstoreReason.ISSUER_MISMATCH;
    }

    /** Once the signature verified under {@code vote}: what its signed bytes claim must satisfy the policy. */
    private Judgement judgeClaims(SignatureCandidate candidate, Vote vote, ImageReference image, Digest digest, Set<String> counted) {
        Claims claims;
        try {
            claims = candidate.claims().read(digest);
        } catch (MalformedSignatureException e) {
            return rejected(candidate, vote, e.reason(), e.getMessage(), Map.of());
        }
        Map<String, String> annotations = claims.annotations();
        if (!claims.namesImage()) {
            return rejected(candidate, vote, claims.otherImage(), claims.signed() + ", the image is " + digest, annotations);
        }
        if (claims.identity().isPresent()) {
            if (!policy.identity().accepts(claims.identity().get(), image)) {
                return rejected(candidate, vote, RejectionReason.REFERENCE_MISMATCH, "payload names '" + claims.identity().get()
                        + "', which the " + policy.identity().id() + " rule does not accept for " + image, annotations);
            }
        } else if (policy.identity() == IdentityRule.EXACT_REFERENCE) {
            return rejected(candidate, vote, RejectionReason.REFERENCE_MISMATCH, "the signature names no reference (" + claims.signed()
                    + "), so the " + policy.identity().id() + " rule cannot accept it for " + image, annotations);
        }
        for (Map.Entry<String, String> required : policy.requiredAnnotations().entrySet()) {
            String actual = annotations.get(required.getKey());
            if (!required.getValue().equals(actual)) {
                return rejected(candidate, vote, RejectionReason.MISSING_ANNOTATION, "annotation '" + required.getKey() + "' is "
                        + (actual == null ? "absent" : "'" + actual + "'") + ", required '" + required.getValue() + "'", annotations);
            }
        }
        if (counted.contains(vote.id())) {
            RejectionReason duplicate = vote.keyless().isPresent() ? RejectionReason.DUPLICATE_IDENTITY : RejectionReason.DUPLICATE_KEY;
            return rejected(candidate, vote, duplicate, vote.label() + " already counted once", annotations);
        }
        return new Judgement(new SignatureCheck(candidate.source(), candidate.payloadDigest(), vote.keyId(), vote.name(), true, Optional.empty(),
                "signed by " + vote.label(), annotations,
                candidate.format(), vote.keyless()), vote.id());
    }

    private static Judgement rejected(SignatureCandidate candidate, Vote vote, RejectionReason reason, String detail,
            Map<String, String> annotations) {
        Optional<Vote> by = Optional.ofNullable(vote);
        return new Judgement(new SignatureCheck(candidate.source(), candidate.payloadDigest(), by.flatMap(Vote::keyId),
                by.flatMap(Vote::name), false, Optional.of(reason), detail, annotations, candidate.format(), by.flatMap(Vote::keyless)), null);
    }
}
