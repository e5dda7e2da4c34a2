package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.sigstore.LegacySignatureLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the cosign-format signatures of a digest: the {@code sha256-<hex>.sig} manifest and each layer's payload,
 * fetched by digest and checked. A layer that cannot be read becomes a candidate with the reason, so the report
 * shows it; only a registry that cannot be asked at all is an exception.
 */
public final class CosignSignatureReader {
    /** Simple-signing payloads are a few hundred bytes; a payload larger than this is refused unread. */
    public static final long MAX_PAYLOAD_BYTES = 64 * 1024;
    /** cosign writes OCI image manifests; older cosign wrote Docker v2 ones. An index or anything else is not a signature manifest. */
    private static final Set<String> SIGNATURE_MANIFEST_TYPES = Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    private final RegistryClient registry;
    private final ProgressListener listener;

    public CosignSignatureReader(RegistryClient registry, ProgressListener listener) {
        this.registry = Objects.requireNonNull(registry);
        this.listener = Objects.requireNonNull(listener);
    }

    /** The signatures stored for {@code digest} in {@code signatureRepository}; empty when there are none. */
    public List<SignatureCandidate> read(ImageReference signatureRepository, Digest digest) throws RegistryException {
        String tag = digest.signatureTag();
        Optional<Manifest> manifest = registry.fetchManifest(signatureRepository, tag);
        if (manifest.isEmpty()) {
            listener.info("fetch-signatures", "no signatures at " + signatureRepository.name() + ":" + tag);
            return List.of();
        }
        String source = "cosign:" + signatureRepository.name() + ":" + tag;
        String mediaType = manifest.get().mediaType();
        if (!SIGNATURE_MANIFEST_TYPES.contains(mediaType)) {
            return List.of(unusable(source, null, RejectionReason.MALFORMED_SIGNATURE,
                    "signature manifest is served as '" + mediaType + "', not an image manifest"));
        }
        SignatureManifest parsed;
        try {
            parsed = SignatureManifest.parse(manifest.get().bytes());
        } catch (MalformedDocumentException e) {
            return List.of(unusable(source, null, RejectionReason.MALFORMED_SIGNATURE, e.getMessage()));
        }
        listener.info("fetch-signatures", parsed.size() + " signature(s) at " + signatureRepository.name() + ":" + tag);
        List<SignatureCandidate> candidates = new ArrayList<>();
        for (SignatureManifest.Layer layer : parsed.layers()) {
            candidates.add(readLayer(signatureRepository, source + "#" + layer.index(), layer));
        }
        return candidates;
    }

    private SignatureCandidate readLayer(ImageReference repository, String source, SignatureManifest.Layer layer) {
        Optional<Digest> payloadDigest = layer.digest();
        if (!MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType())) {
            return unusable(source, payloadDigest.orElse(null), RejectionReason.UNSUPPORTED_LAYER,
                    "layer media type is '" + layer.mediaType() + "'");
        }
        if (payloadDigest.isEmpty()) {
            return unusable(source, null, RejectionReason.MALFORMED_SIGNATURE, "layer has no valid digest");
        }
        Optional<byte[]> signature = layer.signature();
        if (signature.isEmpty()) {
            return unusable(source, payloadDigest.get(), RejectionReason.MALFORMED_SIGNATURE,
                    "layer annotation " + SignatureManifest.SIGNATURE_ANNOTATION + " is missing or not base64");
        }
        if (layer.size() < 0 || layer.size() > MAX_PAYLOAD_BYTES) {
            return unusable(source, payloadDigest.get(), RejectionReason.PAYLOAD_UNAVAILABLE,
                    "layer declares size " + layer.size() + "; payloads over " + MAX_PAYLOAD_BYTES + " bytes are not read");
        }
        byte[] payload;
        try {
            payload = registry.fetchBlob(repository, payloadDigest.get(), MAX_PAYLOAD_BYTES);
        } catch (RegistryException e) {
            return unusable(source, payloadDigest.get(), RejectionReason.PAYLOAD_UNAVAILABLE, e.getMessage());
        }
        if (payload.length != layer.size()) {
            return unusable(source, payloadDigest.get(), RejectionReason.PAYLOAD_UNAVAILABLE,
                    "payload has " + payload.length + " bytes, the layer declares " + layer.size());
        }
        SignatureCandidate candidate = SimpleSigningPayload.candidate(source, payloadDigest.get(), payload, signature.get());
        Map<String, String> annotations = layer.annotations();
        if (!annotations.containsKey(LegacySignatureLayer.CERTIFICATE_ANNOTATION)) {
            return candidate;
        }
        // cosign's keyless form: the certificate, its log entry and timestamps ride in the layer's annotations.
        String base64Signature = annotations.get(SignatureManifest.SIGNATURE_ANNOTATION);
        byte[] verifiedPayload = payload;
        return candidate.withKeyless((verifier, identity) -> verifier.verifyLegacyLayer(verifiedPayload, base64Signature, annotations, identity));
    }

    private static SignatureCandidate unusable(String source, Digest payloadDigest, RejectionReason problem, String detail) {
        return SignatureCandidate.unusable(SignatureFormat.LEGACY, source, payloadDigest, problem, detail);
    }
}
