package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.cosign.ReferrerManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One attestation as a layer of cosign's legacy attestation manifest, the tag {@code sha256-<hex>.att} (an OCI
 * manifest built like the {@code .sig} one, appended to in the same way): the layer blob is the envelope JSON
 * ({@link Envelope#toJson}), its media type {@link #MEDIA_TYPE}, its annotations
 * {@code {"dev.cosignproject.cosign/signature":"","predicateType":URI}}.
 *
 * <p>Sources: cosign {@code cmd/cosign/cli/attest/attest.go} ({@code static.WithLayerMediaType(types.DssePayloadType)},
 * {@code static.WithAnnotations({"predicateType": predicateURI})}, {@code static.NewAttestation(envelope)}); cosign
 * {@code pkg/oci/static/signature.go} ({@code NewAttestation} is {@code NewSignature(payload, "")}, and
 * {@code Annotations()} always adds {@code dev.cosignproject.cosign/signature} with that empty signature: the
 * signature lives inside the envelope). Keyless material ({@code dev.sigstore.cosign/certificate}, {@code /chain},
 * {@code /bundle}) is not written: Image Trust signs with keys and without a transparency log.
 *
 * <p>The {@code predicateType} annotation is taken from the signed statement, never given separately, so the two
 * cannot disagree; a reader uses it only to skip layers cheaply and trusts only the verified statement.
 */
public record AttestationLayer(byte[] content, String mediaType, Map<String, String> annotations) {
    /** The layer media type (cosign {@code pkg/types} {@code DssePayloadType}). */
    public static final String MEDIA_TYPE = MediaTypes.DSSE_ENVELOPE;
    /** The layer annotation naming the statement's predicate type. */
    public static final String PREDICATE_TYPE_ANNOTATION = SignatureManifest.PREDICATE_TYPE_ANNOTATION;
    /** The tag suffix of cosign's attestation manifest (cosign {@code pkg/oci/remote} {@code AttestationTagSuffix}). */
    public static final String TAG_SUFFIX = ".att";

    public AttestationLayer {
        content = content.clone();
        Objects.requireNonNull(mediaType, "mediaType");
        annotations = Map.copyOf(annotations);
    }

    /**
     * The layer for a signed in-toto envelope.
     *
     * @throws IllegalArgumentException when the envelope is not an in-toto statement that parses
     */
    public static AttestationLayer of(Envelope envelope) {
        return new AttestationLayer(envelope.toJson(), MEDIA_TYPE, annotations(predicateTypeOf(envelope)));
    }

    /** The layer annotations for a statement of {@code predicateType}, in key order ({@link SignatureManifest#attestationAnnotations}). */
    public static Map<String, String> annotations(String predicateType) {
        return SignatureManifest.attestationAnnotations(predicateType);
    }

    /** The tag of {@code image}'s attestation manifest: {@code sha256-<hex>.att}. */
    public static String tag(Digest image) {
        return image.attestationTag();
    }

    /**
     * The manifest annotations of an attestation bundle referrer: those of a signature bundle
     * ({@link ReferrerManifest#dsseAnnotations}) with {@code dev.sigstore.bundle.predicateType} set to the
     * attestation's predicate type, as cosign 3 writes it (cosign {@code pkg/oci/remote/write.go}
     * {@code WriteAttestationNewBundleFormat(d, bundle, predicateType)}, called from {@code attest.go} with the
     * predicate URI).
     */
    public static Map<String, String> referrerAnnotations(Instant created, String predicateType) {
        return ReferrerManifest.attestationAnnotations(created, predicateType);
    }

    /** The predicate type of the statement inside {@code envelope}, which must be an in-toto envelope. */
    public static String predicateTypeOf(Envelope envelope) {
        if (!Envelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            throw new IllegalArgumentException("the envelope's payload type is " + JsonText.quoted(envelope.payloadType()) + ", not in-toto");
        }
        try {
            return Statement.parse(envelope.payload()).predicateType();
        } catch (AttestationException e) {
            throw new IllegalArgumentException("the envelope's statement does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The layer's digest (sha256 of the content). */
    public Digest digest() {
        return Digest.sha256(content);
    }

    public long size() {
        return content.length;
    }
}
