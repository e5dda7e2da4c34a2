package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Sigstore bundle v0.1, v0.2 or v0.3 ({@code sigstore/protobuf-specs protos/sigstore_bundle.proto} in protobuf
 * JSON): the verification material (a Fulcio certificate, or the hint of a managed key), the transparency-log entries
 * and RFC 3161 timestamps that prove when it was used, and the content (a message signature or a DSSE envelope).
 * Nothing here is trusted; {@link BundleVerifier} checks every part against a {@link TrustedRoot}.
 */
public final class Bundle {
    /** A bundle larger than this is not read (DSSE attestations can be large; a signature bundle is some 10 KiB). */
    public static final int MAX_BYTES = 16 << 20;
    static final int MAX_TLOG_ENTRIES = 16;
    static final int MAX_TIMESTAMPS = 16;
    static final int MAX_PROOF_HASHES = 64;

    /** The versions read, by media type. */
    private static final Map<String, Integer> MINOR_VERSIONS = Map.of(
            "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
            "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
            "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
            "application/vnd.dev.sigstore.bundle.v0.3+json", 3);

    /** What identifies the signer; exactly one is present. */
    public sealed interface Material permits CertificateMaterial, PublicKeyMaterial {
    }

    /** A Fulcio (or other CA's) leaf certificate; any further certificates of a v0.1/v0.2 chain are not trusted, the root supplies the chain. */
    public record CertificateMaterial(X509Certificate leaf) implements Material {
    }

    /** A managed key, named only by a hint; the key itself comes from the verifier's caller. */
    public record PublicKeyMaterial(String hint) implements Material {
    }

    /** The two contents; exactly one is present. */
    public sealed interface Content permits MessageSignature, DsseContent {
        /** The signature bytes the log entry and the timestamps are about. */
        byte[] signature();
    }

    /** A signature over the artifact bytes, with the artifact's digest when the bundle records it. */
    public record MessageSignature(Optional<String> digestAlgorithm, Optional<byte[]> digest, byte[] signature) implements Content {
        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** A DSSE envelope with its one signature over {@link #pae()}. */
    public record DsseContent(String payloadType, byte[] payload, byte[] signature) implements Content {
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** The exact bytes the signature is over. */
        public byte[] pae() {
            return Bundle.pae(payloadType, payload);
        }
    }

    /** An inclusion proof with its checkpoint (signed note) text; bundles before v0.2 may omit the checkpoint. */
    public record InclusionProof(long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, Optional<String> checkpoint) {
        public InclusionProof {
            hashes = List.copyOf(hashes);
        }
    }

    /** A transparency-log entry as the bundle records it. */
    public record TlogEntry(long logIndex, byte[] logId, String kind, String kindVersion, long integratedTime,
            Optional<byte[]> signedEntryTimestamp, Optional<InclusionProof> inclusionProof, byte[] canonicalizedBody) {

        /** Rekor v2 entries ({@code hashedrekord}/{@code dsse} 0.0.2) carry no integrated time and no SET. */
        public boolean rekorV2() {
            return "0.0.2".equals(kindVersion) && ("hashedrekord".equals(kind) || "dsse".equals(kind));
        }
    }

    private final String mediaType;
    private final int minorVersion;
    private final Material material;
    private final List<TlogEntry> tlogEntries;
    private final List<byte[]> rfc3161Timestamps;
    private final Content content;

    private Bundle(String mediaType, int minorVersion, Material material, List<TlogEntry> tlogEntries, List<byte[]> rfc3161Timestamps,
            Content content) {
        this.mediaType = mediaType;
        this.minorVersion = minorVersion;
        this.material = material;
        this.tlogEntries = List.copyOf(tlogEntries);
        this.rfc3161Timestamps = List.copyOf(rfc3161Timestamps);
        this.content = content;
    }

    /**
     * Material that is not a bundle document but says the same (the legacy {@code .sig} layer's annotations, see
     * {@link LegacySignatureLayer}), so that one verifier checks both.
     */
    static Bundle of(String mediaType, Material material, List<TlogEntry> tlogEntries, List<byte[]> rfc3161Timestamps, Content content) {
        return new Bundle(mediaType, 0, material, tlogEntries, rfc3161Timestamps, content);
    }

    /**
     * Reads bundle bytes. {@link SigstoreReason#UNSUPPORTED_BUNDLE_VERSION} for an unknown mediaType,
     * {@link SigstoreReason#MALFORMED_BUNDLE} for anything else unreadable.
     */
    public static Bundle parse(byte[] bytes) throws SigstoreException {
        SigstoreJson json = new SigstoreJson(SigstoreReason.MALFORMED_BUNDLE, "bundle");
        JsonNode root = json.readObject(bytes, MAX_BYTES);
        String mediaType = json.text(root, "mediaType", "");
        Integer minor = MINOR_VERSIONS.get(mediaType);
        if (minor == null) {
            throw new SigstoreException(SigstoreReason.UNSUPPORTED_BUNDLE_VERSION, "bundle: mediaType '" + mediaType
                    + "' is not a supported Sigstore bundle version (v0.1, v0.2, v0.3)");
        }
        JsonNode verificationMaterial = json.object(root, "verificationMaterial", "");
        Material material = material(json, verificationMaterial);
        List<TlogEntry> entries = new ArrayList<>();
        for (JsonNode node : json.array(verificationMaterial, "tlogEntries", MAX_TLOG_ENTRIES, "verificationMaterial.")) {
            TlogEntry entry = tlogEntry(json, node, "verificationMaterial.tlogEntries[" + entries.size() + "].");
            // v0.1 bundles prove inclusion by the SET; from v0.2 on, the inclusion proof is required.
            if (minor == 1 && entry.signedEntryTimestamp().isEmpty()) {
                throw json.error("a v0.1 bundle's tlog entry must carry an inclusionPromise (SET)");
            }
            if (minor >= 2 && entry.inclusionProof().isEmpty()) {
                throw json.error("a v0." + minor + " bundle's tlog entry must carry an inclusionProof");
            }
            entries.add(entry);
        }
        List<byte[]> timestamps = new ArrayList<>();
        Optional<JsonNode> timestampData = json.optionalObject(verificationMaterial, "timestampVerificationData", "verificationMaterial.");
        if (timestampData.isPresent()) {
            String where = "verificationMaterial.timestampVerificationData.";
            for (JsonNode node : json.array(timestampData.get(), "rfc3161Timestamps", MAX_TIMESTAMPS, where)) {
                if (!node.isObject()) {
                    throw json.error(where + "rfc3161Timestamps[" + timestamps.size() + "] is not an object");
                }
                timestamps.add(json.base64(node, "signedTimestamp", where + "rfc3161Timestamps[" + timestamps.size() + "]."));
            }
        }
        JsonNode envelope = root.get("dsseEnvelope");
        JsonNode message = root.get("messageSignature");
        if ((envelope == null) == (message == null)) {
            throw json.error("it must hold exactly one of dsseEnvelope and messageSignature");
        }
        Content content = envelope != null ? dsse(json, envelope) : messageSignature(json, message);
        return new Bundle(mediaType, minor, material, entries, timestamps, content);
    }

    private static Material material(SigstoreJson json, JsonNode verificationMaterial) throws SigstoreException {
        String where = "verificationMaterial.";
        JsonNode certificate = verificationMaterial.get("certificate");
        JsonNode chain = verificationMaterial.get("x509CertificateChain");
        JsonNode publicKey = verificationMaterial.get("publicKey");
        int present = (certificate != null ? 1 : 0) + (chain != null ? 1 : 0) + (publicKey != null ? 1 : 0);
        if (present != 1) {
            throw json.error(SigstoreJson.place(where) + " must hold exactly one of certificate, x509CertificateChain and publicKey");
        }
        if (publicKey != null) {
            if (!publicKey.isObject()) {
                throw json.error(where + "publicKey is not an object");
            }
            return new PublicKeyMaterial(json.optionalText(publicKey, "hint", where + "publicKey.").orElse(""));
        }
        if (certificate != null) {
            if (!certificate.isObject()) {
                throw json.error(where + "certificate is not an object");
            }
            return new CertificateMaterial(TrustedRoot.certificate(json, json.base64(certificate, "rawBytes", where + "certificate."),
                    where + "certificate.rawBytes"));
        }
        if (!chain.isObject()) {
            throw json.error(where + "x509CertificateChain is not an object");
        }
        List<X509Certificate> parsed = TrustedRoot.certificateChain(json, chain, where + "x509CertificateChain");
        for (int i = 0; i < parsed.size(); i++) {
            if (selfSigned(parsed.get(i))) {
                // The protobuf spec forbids it, and a client that built its chain from the bundle would trust it.
                throw json.error(where + "x509CertificateChain.certificates[" + i + "] is a self-signed root certificate:"
                        + " trust anchors come only from the trusted root");
            }
        }
        return new CertificateMaterial(parsed.get(0));
    }

    static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static TlogEntry tlogEntry(SigstoreJson json, JsonNode node, String where) throws SigstoreException {
        if (!node.isObject()) {
            throw json.error(SigstoreJson.place(where) + " is not an object");
        }
        long logIndex = json.nonNegativeLong(node, "logIndex", where);
        byte[] logId = json.base64(json.object(node, "logId", where), "keyId", where + "logId.");
        JsonNode kindVersion = json.object(node, "kindVersion", where);
        String kind = json.text(kindVersion, "kind", where + "kindVersion.");
        String version = json.text(kindVersion, "version", where + "kindVersion.");
        long integratedTime = json.optionalNonNegativeLong(node, "integratedTime", where).orElse(0L);
        Optional<byte[]> set = Optional.empty();
        Optional<JsonNode> promise = json.optionalObject(node, "inclusionPromise", where);
        if (promise.isPresent()) {
            set = Optional.of(json.base64(promise.get(), "signedEntryTimestamp", where + "inclusionPromise."));
        }
        Optional<InclusionProof> proof = Optional.empty();
        Optional<JsonNode> proofNode = json.optionalObject(node, "inclusionProof", where);
        if (proofNode.isPresent()) {
            proof = Optional.of(inclusionProof(json, proofNode.get(), where + "inclusionProof."));
        }
        byte[] body = json.base64(node, "canonicalizedBody", where);
        return new TlogEntry(logIndex, logId, kind, version, integratedTime, set, proof, body);
    }

    private static InclusionProof inclusionProof(SigstoreJson json, JsonNode node, String where) throws SigstoreException {
        long logIndex = json.nonNegativeLong(node, "logIndex", where);
        byte[] rootHash = json.base64(node, "rootHash", where);
        long treeSize = json.nonNegativeLong(node, "treeSize", where);
        List<byte[]> hashes = new ArrayList<>();
        for (JsonNode hash : json.array(node, "hashes", MAX_PROOF_HASHES, where)) {
            if (!hash.isTextual()) {
                throw json.error(where + "hashes[" + hashes.size() + "] is not a string");
            }
            hashes.add(json.decodeBase64(hash.asText(), where + "hashes[" + hashes.size() + "]"));
        }
        Optional<JsonNode> checkpointNode = json.optionalObject(node, "checkpoint", where);
        Optional<String> checkpoint = Optional.empty();
        if (checkpointNode.isPresent()) {
            checkpoint = Optional.of(json.text(checkpointNode.get(), "envelope", where + "checkpoint."));
        }
        return new InclusionProof(logIndex, rootHash, treeSize, hashes, checkpoint);
    }

    private static DsseContent dsse(SigstoreJson json, JsonNode envelope) throws SigstoreException {
        DsseEnvelope read;
        try {
            read = DsseEnvelope.read(envelope);
        } catch (MalformedDocumentException e) {
            throw json.error("dsseEnvelope: " + e.getMessage());
        }
        if (read.signatures().size() != 1) {
            throw json.error("dsseEnvelope.signatures must hold exactly one signature object");
        }
        return new DsseContent(read.payloadType(), read.payload(), read.signatures().get(0).sig());
    }

    private static MessageSignature messageSignature(SigstoreJson json, JsonNode message) throws SigstoreException {
        String where = "messageSignature.";
        if (!message.isObject()) {
            throw json.error("messageSignature is not an object");
        }
        Optional<JsonNode> digest = json.optionalObject(message, "messageDigest", where);
        Optional<String> algorithm = Optional.empty();
        Optional<byte[]> digestBytes = Optional.empty();
        if (digest.isPresent()) {
            algorithm = Optional.of(json.text(digest.get(), "algorithm", where + "messageDigest."));
            digestBytes = Optional.of(json.base64(digest.get(), "digest", where + "messageDigest."));
        }
        return new MessageSignature(algorithm, digestBytes, json.base64(message, "signature", where));
    }

    /**
     * DSSE's pre-authentication encoding, what a DSSE signature covers: {@code "DSSEv1" SP len(type) SP type SP
     * len(body) SP body}, lengths in ASCII decimal (secure-systems-lab/dsse {@code protocol.md}).
     */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public String mediaType() {
        return mediaType;
    }

    /** 1, 2 or 3 for v0.1, v0.2, v0.3; 0 for material that is not a bundle document (a legacy {@code .sig} layer). */
    public int minorVersion() {
        return minorVersion;
    }

    public Material material() {
        return material;
    }

    public List<TlogEntry> tlogEntries() {
        return tlogEntries;
    }

    /** The DER {@code TimeStampResp} (or bare token) bytes of each RFC 3161 timestamp. */
    public List<byte[]> rfc3161Timestamps() {
        return rfc3161Timestamps.stream().map(byte[]::clone).toList();
    }

    public Content content() {
        return content;
    }
}
