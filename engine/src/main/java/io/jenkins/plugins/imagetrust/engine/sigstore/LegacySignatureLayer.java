package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keyless material of a legacy cosign {@code .sig} layer, read into the same {@link Bundle} model a Sigstore
 * bundle is read into, so that {@link BundleVerifier} checks both with the same code. The layer is format-neutral
 * input here: the simple-signing payload bytes (the layer blob), its base64 signature and its annotations. Names and
 * shapes as cosign writes them:
 * <ul>
 * <li>{@value #CERTIFICATE_ANNOTATION}: the Fulcio leaf, PEM; {@value #CHAIN_ANNOTATION}: its chain, PEM, intermediate
 * first (cosign {@code pkg/oci/static/options.go} {@code WithCertChain}, constants in {@code pkg/oci/static/signature.go}).
 * The chain is read (it must be certificates) but never trusted: the chain comes from the trusted root.</li>
 * <li>{@value #BUNDLE_ANNOTATION}: the Rekor "SET bundle", {@code {"SignedEntryTimestamp": base64, "Payload": {"body":
 * base64 entry, "integratedTime": int, "logIndex": int, "logID": hex}}} (cosign {@code pkg/cosign/bundle/rekor.go}
 * {@code RekorBundle}, {@code RekorPayload}); the SET is the log's signature over the canonical JSON of
 * {@code Payload} (cosign {@code pkg/cosign/tlog.go} {@code VerifySET}).</li>
 * <li>{@value #RFC3161_TIMESTAMP_ANNOTATION}: {@code {"SignedRFC3161Timestamp": base64 DER}} (cosign
 * {@code pkg/cosign/bundle/tsa.go}), a timestamp over the raw signature bytes (cosign {@code pkg/cosign/verify.go}
 * {@code VerifyRFC3161Timestamp}).</li>
 * </ul>
 * Every failure to read is {@link SigstoreReason#MALFORMED_BUNDLE} naming the annotation.
 */
public final class LegacySignatureLayer {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    public static final String RFC3161_TIMESTAMP_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";
    /** What {@link Bundle#mediaType()} says for material read from a layer. */
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json (legacy .sig layer)";
    /** An annotation longer than this is not read (a SET bundle with its certificate is some 5 KiB). */
    public static final int MAX_ANNOTATION_CHARS = 256 * 1024;
    private static final int SHA256_HEX_CHARS = 64;
    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private LegacySignatureLayer() {
    }

    /**
     * Reads the layer. {@code base64Signature} is the {@value #SIGNATURE_ANNOTATION} value; {@code annotations} the
     * layer's annotations (the signature one, when among them, must be the same).
     */
    public static Bundle read(byte[] payload, String base64Signature, Map<String, String> annotations) throws SigstoreException {
        SigstoreJson json = new SigstoreJson(SigstoreReason.MALFORMED_BUNDLE, "legacy signature layer");
        byte[] signature = json.decodeBase64(capped(json, base64Signature, SIGNATURE_ANNOTATION), SIGNATURE_ANNOTATION);
        String annotated = annotations.get(SIGNATURE_ANNOTATION);
        if (annotated != null && !annotated.equals(base64Signature)) {
            throw json.error("the layer's " + SIGNATURE_ANNOTATION + " annotation is not the signature given");
        }
        String certificatePem = annotations.get(CERTIFICATE_ANNOTATION);
        if (certificatePem == null) {
            throw json.error("the layer has no " + CERTIFICATE_ANNOTATION + " annotation: it is not keyless (verify it with a key)");
        }
        X509Certificate leaf = pemCertificates(json, certificatePem, CERTIFICATE_ANNOTATION, 1).get(0);
        if (annotations.containsKey(CHAIN_ANNOTATION)) {
            pemCertificates(json, annotations.get(CHAIN_ANNOTATION), CHAIN_ANNOTATION, TrustedRoot.MAX_CHAIN_CERTIFICATES);
        }
        List<Bundle.TlogEntry> entries = new ArrayList<>();
        if (annotations.containsKey(BUNDLE_ANNOTATION)) {
            entries.add(setBundle(json, capped(json, annotations.get(BUNDLE_ANNOTATION), BUNDLE_ANNOTATION)));
        }
        List<byte[]> timestamps = new ArrayList<>();
        if (annotations.containsKey(RFC3161_TIMESTAMP_ANNOTATION)) {
            JsonNode node = json.readObject(capped(json, annotations.get(RFC3161_TIMESTAMP_ANNOTATION), RFC3161_TIMESTAMP_ANNOTATION)
                    .getBytes(StandardCharsets.UTF_8), MAX_ANNOTATION_CHARS);
            timestamps.add(json.base64(node, "SignedRFC3161Timestamp", RFC3161_TIMESTAMP_ANNOTATION + ": "));
        }
        Bundle.Content content = new Bundle.MessageSignature(Optional.of("SHA2_256"), Optional.of(MerkleTree.sha256().digest(payload)),
                signature);
        return Bundle.of(MEDIA_TYPE, new Bundle.CertificateMaterial(leaf), entries, timestamps, content);
    }

    /** The SET bundle as a log entry: no inclusion proof; kind and version from the body itself. */
    static Bundle.TlogEntry setBundle(SigstoreJson json, String text) throws SigstoreException {
        String where = BUNDLE_ANNOTATION + ": ";
        JsonNode root = json.readObject(text.getBytes(StandardCharsets.UTF_8), MAX_ANNOTATION_CHARS);
        byte[] set = json.base64(root, "SignedEntryTimestamp", where);
        JsonNode payload = json.object(root, "Payload", where);
        String at = where + "Payload.";
        byte[] body = json.base64(payload, "body", at);
        long integratedTime = json.nonNegativeLong(payload, "integratedTime", at);
        long logIndex = json.nonNegativeLong(payload, "logIndex", at);
        String logIdHex = json.text(payload, "logID", at);
        if (logIdHex.length() != SHA256_HEX_CHARS || !logIdHex.matches("[0-9a-f]+")) {
            throw json.error(at + "logID is not 64 lower-case hex digits");
        }
        JsonNode entry = json.readObject(body, MAX_ANNOTATION_CHARS);
        String kind = json.text(entry, "kind", at + "body.");
        String apiVersion = json.text(entry, "apiVersion", at + "body.");
        return new Bundle.TlogEntry(logIndex, HexFormat.of().parseHex(logIdHex), kind, apiVersion, integratedTime, Optional.of(set),
                Optional.empty(), body);
    }

    private static String capped(SigstoreJson json, String value, String annotation) throws SigstoreException {
        if (value.length() > MAX_ANNOTATION_CHARS) {
            throw json.error(annotation + " has " + value.length() + " characters; at most " + MAX_ANNOTATION_CHARS + " are read");
        }
        return value;
    }

    /** One to {@code max} PEM certificates, nothing else. */
    private static List<X509Certificate> pemCertificates(SigstoreJson json, String pem, String annotation, int max)
            throws SigstoreException {
        capped(json, pem, annotation);
        if (!pem.strip().startsWith(PEM_CERTIFICATE)) {
            throw json.error(annotation + " is not PEM certificates");
        }
        Collection<? extends Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            throw json.error(annotation + " is not PEM certificates");
        }
        if (parsed.isEmpty() || parsed.size() > max) {
            throw json.error(annotation + " holds " + parsed.size() + " certificates; 1 to " + max + " are read");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : parsed) {
            certificates.add((X509Certificate) certificate);
        }
        return certificates;
    }
}
