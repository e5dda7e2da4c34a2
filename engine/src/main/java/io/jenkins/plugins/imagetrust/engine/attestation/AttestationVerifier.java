package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.cosign.SigstoreBundle;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope;
import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.signature.AttestationCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies one attestation envelope for one image digest, in the order the signature verifier uses: nothing is parsed
 * before it is authenticated, cheapest trust decision first.
 *
 * <ol>
 *   <li>A signature of the envelope verifies over {@code PAE(payloadType, payload)} under a trusted key, with the
 *       key's scheme ({@link SignatureVerifier}, as for signatures) → else {@code SIGNATURE_INVALID}.
 *   <li>At least one such key is usable now (not revoked, inside its window) → else its {@code KEY_*} reason.
 *   <li>{@code payloadType} is {@code application/vnd.in-toto+json} → else {@code PAYLOAD_TYPE_NOT_IN_TOTO}.
 *   <li>The payload is an in-toto statement ({@link Statement#parse}) → else {@code STATEMENT_MALFORMED}.
 *   <li>A subject names the image digest → else {@code ATTESTATION_SUBJECT_MISMATCH}.
 *   <li>Its {@code predicateType} is one asked for, compared exactly → else {@code PREDICATE_TYPE_NOT_REQUIRED}.
 * </ol>
 *
 * Pure: no I/O, the time is given.
 */
public final class AttestationVerifier {
    /** How many subject digests a mismatch detail lists (one line, not a dump). */
    private static final int SUBJECTS_SHOWN = 4;

    private AttestationVerifier() {
    }

    /** Parses envelope JSON (a {@code .att} layer) and verifies it; a malformed envelope is {@code ENVELOPE_MALFORMED}. */
    public static AttestationOutcome verify(byte[] envelopeJson, Digest image, List<TrustedKey> keys, Instant now,
            Set<String> predicateTypes) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(envelopeJson);
        } catch (AttestationException e) {
            return rejected(e.reason(), e.getMessage(), Optional.empty(), Optional.empty());
        }
        return verify(envelope, image, keys, now, predicateTypes);
    }

    /**
     * Verifies an attestation a storage found ({@code SignatureStorage.findAttestations}): a {@code .att} layer's
     * envelope, or a bundle's; one that could not be read is {@code ATTESTATION_UNREADABLE}, a bundle that does not
     * parse {@code ENVELOPE_MALFORMED}.
     */
    public static AttestationOutcome verify(AttestationCandidate candidate, Digest image, List<TrustedKey> keys, Instant now,
            Set<String> predicateTypes) {
        return switch (candidate.kind()) {
            case UNREADABLE -> rejected(AttestationReason.ATTESTATION_UNREADABLE, candidate.problem(), Optional.empty(), Optional.empty());
            case DSSE_ENVELOPE -> verify(candidate.content(), image, keys, now, predicateTypes);
            case SIGSTORE_BUNDLE -> {
                SigstoreBundle bundle;
                try {
                    bundle = SigstoreBundle.parse(candidate.content());
                } catch (MalformedSignatureException e) {
                    yield rejected(AttestationReason.ENVELOPE_MALFORMED, "the bundle does not parse: " + e.getMessage(), Optional.empty(),
                            Optional.empty());
                }
                if (!(bundle.content() instanceof SigstoreBundle.DsseContent dsse)) {
                    yield rejected(AttestationReason.ENVELOPE_MALFORMED, "the bundle holds a message signature, not a DSSE envelope",
                            Optional.empty(), Optional.empty());
                }
                yield verify(Envelope.of(dsse), image, keys, now, predicateTypes);
            }
        };
    }

    /**
     * Verifies {@code envelope} (from a {@code .att} layer or a bundle: {@link Envelope#of}).
     *
     * @param keys the policy's trusted keys
     * @param now the time key windows are judged at
     * @param predicateTypes the predicate type URIs asked for (at least one)
     */
    public static AttestationOutcome verify(Envelope envelope, Digest image, List<TrustedKey> keys, Instant now,
            Set<String> predicateTypes) {
        if (predicateTypes.isEmpty()) {
            throw new IllegalArgumentException("no predicate type asked for");
        }
        byte[] pae = envelope.pae();
        List<TrustedKey> verifying = new ArrayList<>();
        for (TrustedKey key : keys) {
            for (DsseEnvelope.Signature signature : envelope.signatures()) {
                if (SignatureVerifier.verify(key.publicKey(), key.scheme(), pae, signature.sig())) {
                    verifying.add(key);
                    break;
                }
            }
        }
        if (verifying.isEmpty()) {
            return rejected(AttestationReason.SIGNATURE_INVALID, "no trusted key (of " + keys.size() + ") verifies any of the envelope's "
                    + envelope.signatures().size() + " signature(s) over its PAE", Optional.empty(), Optional.empty());
        }
        List<TrustedKey> usable = verifying.stream().filter(key -> key.unusableAt(now).isEmpty()).toList();
        if (usable.isEmpty()) {
            TrustedKey key = verifying.get(0);
            // TrustedKey names its problem with the signature verifier's code; ours has the same name
            AttestationReason reason = AttestationReason.valueOf(key.unusableAt(now).orElseThrow().name());
            return rejected(reason, "signed by " + key.label() + ", which is not usable at " + now, Optional.of(key.id()), Optional.empty());
        }
        Optional<KeyId> keyId = Optional.of(usable.get(0).id());
        if (!Envelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            return rejected(AttestationReason.PAYLOAD_TYPE_NOT_IN_TOTO, "the envelope's payloadType is " + JsonText.quoted(envelope.payloadType()) + ", not '"
                    + Envelope.IN_TOTO_PAYLOAD_TYPE + "'", keyId, Optional.empty());
        }
        Statement statement;
        try {
            statement = Statement.parse(envelope.payload());
        } catch (AttestationException e) {
            return rejected(e.reason(), e.getMessage(), keyId, Optional.empty());
        }
        Optional<String> predicateType = Optional.of(statement.predicateType());
        if (!statement.names(image)) {
            List<String> named = statement.subjects().stream()
                    .flatMap(subject -> subject.digests().entrySet().stream().map(d -> JsonText.quoted(d.getKey() + ":" + d.getValue())))
                    .toList();
            String shown = named.stream().limit(SUBJECTS_SHOWN).collect(Collectors.joining(", "))
                    + (named.size() > SUBJECTS_SHOWN ? ", … " + (named.size() - SUBJECTS_SHOWN) + " more" : "");
            return rejected(AttestationReason.ATTESTATION_SUBJECT_MISMATCH, "the statement's subjects are [" + shown + "], the image is " + image,
                    keyId, predicateType);
        }
        if (!predicateTypes.contains(statement.predicateType())) {
            return rejected(AttestationReason.PREDICATE_TYPE_NOT_REQUIRED, "the statement's predicateType is " + JsonText.quoted(statement.predicateType())
                    + ", asked for " + predicateTypes.stream().sorted().toList(), keyId, predicateType);
        }
        return new VerifiedAttestation(statement, usable);
    }

    private static RejectedAttestation rejected(AttestationReason reason, String detail, Optional<KeyId> keyId, Optional<String> predicateType) {
        return new RejectedAttestation(reason, detail, keyId, predicateType);
    }
}
