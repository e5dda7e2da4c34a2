package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.List;
import java.util.Map;

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
     * The attestations of {@code digest} stored in {@code signatureRepository}, read intact but not verified; one that
     * cannot be read is a candidate saying why. Empty when there are none (and for a format that stores none).
     *
     * @throws RegistryException when the registry cannot be asked at all
     */
    default List<AttestationCandidate> findAttestations(ImageReference signatureRepository, Digest digest) throws RegistryException {
        return List.of();
    }
}
