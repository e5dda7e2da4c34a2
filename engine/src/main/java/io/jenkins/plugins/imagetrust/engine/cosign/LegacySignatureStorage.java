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
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import java.util.List;
import java.util.Map;

/**
 * cosign's legacy format: simple-signing payloads as the layers of the {@code sha256-<hex>.sig} manifest
 * ({@link CosignPublisher}, {@link CosignSignatureReader}).
 */
public final class LegacySignatureStorage implements SignatureStorage {
    private final CosignPublisher publisher;
    private final CosignSignatureReader reader;
    private final CosignAttestationReader attestationReader;

    public LegacySignatureStorage(RegistryClient registry, ProgressListener listener) {
        this.publisher = new CosignPublisher(registry, listener);
        this.reader = new CosignSignatureReader(registry, listener);
        this.attestationReader = new CosignAttestationReader(registry, listener);
    }

    @Override
    public SignatureFormat format() {
        return SignatureFormat.LEGACY;
    }

    @Override
    public PendingSignature write(ImageReference image, ImageReference signatureRepository, Descriptor subject, Signer signer,
            Map<String, String> annotations, SignatureEquivalence equivalence) throws RegistryException, KeyException, SignaturePublishException {
        return publisher.write(image, signatureRepository, subject.digest(), signer, annotations, equivalence);
    }

    @Override
    public String writeFailure() {
        return "writing the legacy .sig signature failed";
    }

    @Override
    public List<SignatureCandidate> find(ImageReference imageRepository, ImageReference signatureRepository, Digest digest)
            throws RegistryException {
        return reader.read(signatureRepository, digest);
    }

    /** Appends the envelope to the {@code sha256-<hex>.att} manifest ({@link CosignPublisher#writeAttestation}). */
    @Override
    public PendingSignature writeAttestation(ImageReference signatureRepository, Descriptor subject, SignedAttestation attestation)
            throws RegistryException, KeyException, SignaturePublishException {
        return publisher.writeAttestation(signatureRepository, subject.digest(), attestation);
    }

    @Override
    public List<AttestationCandidate> findAttestations(ImageReference signatureRepository, Digest digest) throws RegistryException {
        return attestationReader.read(signatureRepository, digest);
    }
}
