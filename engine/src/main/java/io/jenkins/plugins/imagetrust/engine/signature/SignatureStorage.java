package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One way of storing image signatures in a registry (cosign's {@code .sig} tag, a Sigstore bundle referrer, …). The
 * signer and the verifier talk to signature formats only through this: a new format is one more implementation.
 * Implementations are thread-safe.
 */
public interface SignatureStorage {
    /** The format it stores, which names it to users. */
    SignatureFormat format();

    /**
     * Signs {@code subject} (a manifest of {@code image}'s repository) with {@code signer} and writes the signature to
     * {@code signatureRepository}, unless a signature by the same key that {@code equivalence} deems the same is already
     * there. Returns before the write is confirmed: {@link PendingSignature#settleAll} and then
     * {@link PendingSignature#confirm} confirm it.
     */
    PendingSignature write(ImageReference image, ImageReference signatureRepository, Descriptor subject, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence) throws RegistryException, KeyException, SignaturePublishException;

    /**
     * What a failed {@link #write} means for the signatures already stored in other formats, completing "the legacy
     * signature of … is stored at …, but …", e.g. {@code attaching the Sigstore bundle failed (…)}.
     */
    String writeFailure();

    /**
     * The signatures of {@code digest} stored in {@code signatureRepository} ({@code imageRepository} serves the image
     * itself), each with how to read its claims; one that cannot be read intact is a candidate with the reason. Empty
     * when there are none.
     *
     * @throws RegistryException when the registry cannot be asked at all, so that the verification is incomplete
     */
    List<SignatureCandidate> find(ImageReference imageRepository, ImageReference signatureRepository, Digest digest) throws RegistryException;

    /**
     * Writes {@code attestation} (signed already, see {@link SignedAttestation}) for {@code subject} to
     * {@code signatureRepository}, beside the signatures, through the same two-phase write as {@link #write}: returns
     * before the write is confirmed, so that one {@link PendingSignature#settleAll} covers every signature and
     * attestation of one call. Added with issue 16; a format that stores no attestations refuses.
     */
    default PendingSignature writeAttestation(ImageReference signatureRepository, Descriptor subject, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        throw new SignaturePublishException("the " + format().id() + " format stores no attestations");
    }

    /**
     * Whether this format stores attestations under other tags than signatures (the legacy {@code .att} beside
     * {@code .sig}), so that a signer may write them at the same time as the signature, on another thread; false when
     * both share one tag (the bundle format's referrers fallback tag), so that {@link #writeTogether} must add them in
     * one update of it.
     */
    default boolean attestationsApart() {
        return true;
    }

    /** The signature {@link #writeTogether} writes: as {@link #write}'s parameters of the same names. */
    record SignatureToWrite(Signer signer, Map<String, String> annotations, SignatureEquivalence equivalence) {
    }

    /**
     * One manifest's signature and attestations in this format, written and awaiting confirmation.
     *
     * @param signature empty when none was asked for
     * @param attestations one per attestation, in order
     */
    record WrittenTogether(Optional<PendingSignature> signature, List<PendingSignature> attestations) {
    }

    /**
     * Writes {@code signature} (when present) and {@code attestations} of {@code subject} as {@link #write} and
     * {@link #writeAttestation} do, in as few updates of shared tags as the format allows: one
     * {@link PendingSignature#settleAll} and then the confirmations cover all of them. This default writes them one
     * after the other.
     */
    default WrittenTogether writeTogether(ImageReference image, ImageReference signatureRepository, Descriptor subject,
            Optional<SignatureToWrite> signature, List<SignedAttestation> attestations)
            throws RegistryException, KeyException, SignaturePublishException {
        Optional<PendingSignature> signed = Optional.empty();
        if (signature.isPresent()) {
            SignatureToWrite s = signature.get();
            signed = Optional.of(write(image, signatureRepository, subject, s.signer(), s.annotations(), s.equivalence()));
        }
        List<PendingSignature> attested = new ArrayList<>();
        for (SignedAttestation attestation : attestations) {
            attested.add(writeAttestation(signatureRepository, subject, attestation));
        }
        return new WrittenTogether(signed, attested);
    }

    /**
     * Refuses, before anything of a sign is written, an attestation this format would not store whole or its
     * verifiers would not read (too large); this default accepts every one.
     */
    default void checkAttestation(SignedAttestation attestation) throws SignaturePublishException {
    }

    /**
     * The attestations of {@code digest} stored in {@code signatureRepository}, read intact but not verified; one that
     * cannot be read is a candidate saying why. Empty when there are none (and for a format that stores none).
     *
     * @throws RegistryException when the registry cannot be asked at all
     */
    default List<AttestationCandidate> findAttestations(ImageReference signatureRepository, Digest digest) throws RegistryException {
        return List.of();
    }
}
