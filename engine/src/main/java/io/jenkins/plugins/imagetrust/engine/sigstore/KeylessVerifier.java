package io.jenkins.plugins.imagetrust.engine.sigstore;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point for verifying the keyless (Fulcio certificate) signature material of a container image offline,
 * against a pinned {@link TrustedRoot}, in either layout cosign attaches. Format-neutral: the caller (the format
 * seam) fetches the material by digest and hands over bytes; nothing here knows registries or manifests. See
 * docs/keyless.md for what is checked and the reason codes.
 */
public final class KeylessVerifier {
    private final BundleVerifier verifier;

    public KeylessVerifier(TrustedRoot root) {
        this.verifier = new BundleVerifier(root);
    }

    /**
     * Verifies a legacy {@code .sig} layer's keyless signature: {@code payload} is the layer's blob (the
     * simple-signing JSON), {@code base64Signature} its {@code dev.cosignproject.cosign/signature} annotation,
     * {@code annotations} the layer's annotations ({@link LegacySignatureLayer}). The result's artifact is the
     * payload's digest: that the payload names the image (its {@code critical.image.docker-manifest-digest}) is the
     * caller's check, as for a keyed signature.
     *
     * @throws SigstoreException with the {@link SigstoreReason} of the first check that failed
     */
    public VerifiedBundle verifyLegacyLayer(byte[] payload, String base64Signature, Map<String, String> annotations,
            SignerPolicy.CertificateIdentity identity) throws SigstoreException {
        Bundle material = LegacySignatureLayer.read(payload, base64Signature, annotations);
        return verifier.verify(material, identity, Digest.sha256(payload), Optional.of(payload));
    }

    /**
     * Verifies a Sigstore bundle (v0.1 to v0.3) attached to an image whose manifest digest is {@code manifestDigest}:
     * a DSSE bundle's in-toto statement must name it as a subject; a message signature must sign the manifest, whose
     * bytes, when given, let P-384 and Ed25519 certificates be checked (a digest suffices for P-256 and RSA).
     *
     * @throws SigstoreException with the {@link SigstoreReason} of the first check that failed
     */
    public VerifiedBundle verifyBundle(byte[] bundleJson, SignerPolicy policy, Digest manifestDigest, Optional<byte[]> manifestBytes)
            throws SigstoreException {
        return verifier.verify(Bundle.parse(bundleJson), policy, manifestDigest, manifestBytes);
    }
}
