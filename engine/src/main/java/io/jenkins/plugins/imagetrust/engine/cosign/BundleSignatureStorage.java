package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.AttestationCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cosign 3's format: a Sigstore bundle attached to the image as an OCI referrer ({@link BundlePublisher},
 * {@link BundleSignatureReader}).
 */
public final class BundleSignatureStorage implements SignatureStorage {
    private final ProgressListener listener;
    private final BundlePublisher publisher;
    private final BundleSignatureReader reader;

    public BundleSignatureStorage(RegistryClient registry, ProgressListener listener, Clock clock) {
        this.listener = listener;
        this.publisher = new BundlePublisher(registry, listener, clock);
        this.reader = new BundleSignatureReader(registry, listener);
    }

    @Override
    public SignatureFormat format() {
        return SignatureFormat.BUNDLE;
    }

    @Override
    public PendingSignature write(ImageReference image, ImageReference signatureRepository, Descriptor subject, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence) throws RegistryException, KeyException, SignaturePublishException {
        return publisher.write(image, signatureRepository, subject, signer, annotations, equivalence);
    }

    @Override
    public String writeFailure() {
        return "attaching the Sigstore bundle failed (sign with the legacy format only where the registry refuses OCI artifacts)";
    }

    /**
     * As {@link SignatureStorage#find}; referrers that cannot be listed (a registry that answers them wrongly, a
     * squatted fallback tag) make one unusable candidate saying why, not an incomplete verification: fewer signatures
     * can never make an image more trusted, and the other formats' signatures are still judged.
     */
    @Override
    public List<SignatureCandidate> find(ImageReference imageRepository, ImageReference signatureRepository, Digest digest) {
        try {
            return reader.read(imageRepository, signatureRepository, digest);
        } catch (RegistryException e) {
            listener.warning("fetch-signatures", "the bundle signatures of " + digest.shortForm() + " could not be read: " + e.getMessage());
            return List.of(SignatureCandidate.unusable(SignatureFormat.BUNDLE, "bundle:" + signatureRepository.name(), null,
                    RejectionReason.PAYLOAD_UNAVAILABLE, "the referrers could not be read: " + e.getMessage()));
        }
    }

    /** Attaches the envelope's bundle as a referrer ({@link BundlePublisher#writeAttestation}). */
    @Override
    public PendingSignature writeAttestation(ImageReference signatureRepository, Descriptor subject, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        return publisher.writeAttestation(signatureRepository, subject, attestation);
    }

    /** The signature's bundle and the attestations' share the referrers fallback tag. */
    @Override
    public boolean attestationsApart() {
        return false;
    }

    /** All the bundles in one update of the fallback tag ({@link BundlePublisher#writeAll}). */
    @Override
    public WrittenTogether writeTogether(ImageReference image, ImageReference signatureRepository, Descriptor subject,
            Optional<SignatureToWrite> signature, List<SignedAttestation> attestations)
            throws RegistryException, KeyException, SignaturePublishException {
        BundlePublisher.Written written = publisher.writeAll(image, signatureRepository, subject, signature, attestations);
        return new WrittenTogether(written.signature().map(PendingSignature.class::cast), List.copyOf(written.attestations()));
    }

    /** An attestation bundle larger than verifiers read ({@link BundlePublisher#checkAttestationSize}). */
    @Override
    public void checkAttestation(SignedAttestation attestation) throws SignaturePublishException {
        BundlePublisher.checkAttestationSize(attestation);
    }

    /** As {@link #find}: referrers that cannot be listed are one unreadable candidate saying why. */
    @Override
    public List<AttestationCandidate> findAttestations(ImageReference signatureRepository, Digest digest) {
        try {
            return reader.readAttestations(signatureRepository, digest);
        } catch (RegistryException e) {
            listener.warning("fetch-attestations", "the attestation bundles of " + digest.shortForm() + " could not be read: " + e.getMessage());
            return List.of(AttestationCandidate.unreadable(SignatureFormat.BUNDLE, "bundle:" + signatureRepository.name(),
                    "the referrers could not be read: " + e.getMessage()));
        }
    }
}
