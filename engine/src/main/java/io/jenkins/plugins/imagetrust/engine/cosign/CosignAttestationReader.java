package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.AttestationCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the attestations of a digest in cosign's legacy layout: the {@code sha256-<hex>.att} manifest, one DSSE
 * envelope per layer, each fetched by digest under {@link AttestationCandidate#MAX_BYTES}. The layer's
 * {@code predicateType} annotation is not read: it is unsigned, and the verifier reads the signed statement.
 */
public final class CosignAttestationReader {
    private static final Set<String> MANIFEST_TYPES = Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    private final RegistryClient registry;
    private final ProgressListener listener;

    public CosignAttestationReader(RegistryClient registry, ProgressListener listener) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
    }

    /** The attestations stored for {@code digest} in {@code repository}; empty when there are none. */
    public List<AttestationCandidate> read(ImageReference repository, Digest digest) throws RegistryException {
        String tag = digest.attestationTag();
        Optional<Manifest> manifest = registry.fetchManifest(repository, tag);
        if (manifest.isEmpty()) {
            listener.info("fetch-attestations", "no attestations at " + repository.name() + ":" + tag);
            return List.of();
        }
        String source = repository.name() + ":" + tag;
        if (!MANIFEST_TYPES.contains(manifest.get().mediaType())) {
            return List.of(unreadable(source, "the attestation manifest is served as '" + manifest.get().mediaType() + "', not an image manifest"));
        }
        SignatureManifest parsed;
        try {
            parsed = SignatureManifest.parse(manifest.get().bytes());
        } catch (MalformedDocumentException e) {
            return List.of(unreadable(source, e.getMessage()));
        }
        listener.info("fetch-attestations", parsed.size() + " attestation(s) at " + repository.name() + ":" + tag);
        List<AttestationCandidate> candidates = new ArrayList<>();
        for (SignatureManifest.Layer layer : parsed.layers()) {
            candidates.add(readLayer(repository, source + "#" + layer.index(), layer));
        }
        return candidates;
    }

    private AttestationCandidate readLayer(ImageReference repository, String source, SignatureManifest.Layer layer) {
        if (!MediaTypes.DSSE_ENVELOPE.equals(layer.mediaType())) {
            return unreadable(source, "the layer media type is '" + layer.mediaType() + "', not '" + MediaTypes.DSSE_ENVELOPE + "'");
        }
        Optional<Digest> digest = layer.digest();
        if (digest.isEmpty()) {
            return unreadable(source, "the layer has no valid digest");
        }
        if (layer.size() < 0 || layer.size() > AttestationCandidate.MAX_BYTES) {
            return unreadable(source, "the layer declares size " + layer.size() + "; envelopes over " + AttestationCandidate.MAX_BYTES
                    + " bytes are not read");
        }
        byte[] envelope;
        try {
            envelope = registry.fetchBlob(repository, digest.get(), AttestationCandidate.MAX_BYTES);
        } catch (RegistryException e) {
            return unreadable(source, e.getMessage());
        }
        if (envelope.length != layer.size()) {
            return unreadable(source, "the envelope has " + envelope.length + " bytes, the layer declares " + layer.size());
        }
        return AttestationCandidate.read(SignatureFormat.LEGACY, source, envelope, AttestationCandidate.Kind.DSSE_ENVELOPE);
    }

    private static AttestationCandidate unreadable(String source, String problem) {
        return AttestationCandidate.unreadable(SignatureFormat.LEGACY, source, problem);
    }
}
