package io.jenkins.plugins.imagetrust.engine.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes cosign attaches to an image for a keyless signature, built from a {@link TestSigstore}: the legacy
 * {@code .sig} layer (payload, signature and annotations) and the Sigstore bundle. Field names and shapes from the
 * sources cited on each method.
 */
public final class CosignKeylessLayouts {
    /** What the {@code .sig} manifest's layer carries: its blob, and its annotations (signature among them). */
    public record LegacyLayer(byte[] payload, String base64Signature, Map<String, String> annotations) {
        public LegacyLayer {
            annotations = new LinkedHashMap<>(annotations); // tests edit them
        }
    }

    private CosignKeylessLayouts() {
    }

    /**
     * The simple-signing payload (sigstore {@code pkg/signature/payload/payload.go} {@code SimpleContainerImage},
     * the {@code application/vnd.dev.cosign.simplesigning.v1+json} layer blob), key order as Go writes the struct.
     */
    public static byte[] simpleSigningPayload(String dockerReference, String manifestDigest) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":{\"docker-manifest-digest\":\""
                + manifestDigest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The legacy layer: {@code dev.cosignproject.cosign/signature} (base64), {@code dev.sigstore.cosign/certificate}
     * and {@code …/chain} (PEM), {@code …/bundle} (the Rekor SET bundle) and {@code …/rfc3161timestamp} (cosign
     * {@code pkg/oci/static/signature.go} constants, {@code pkg/oci/static/options.go} {@code WithCertChain},
     * {@code WithBundle}, {@code WithRFC3161Timestamp}).
     */
    public static LegacyLayer legacyLayer(byte[] payload, byte[] signature, X509Certificate leaf, List<X509Certificate> chain,
            Optional<TestSigstore.LogEntry> entry, Optional<byte[]> timestamp) {
        String base64Signature = Base64.getEncoder().encodeToString(signature);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("dev.cosignproject.cosign/signature", base64Signature);
        annotations.put("dev.sigstore.cosign/certificate", TestSigstore.pem(leaf));
        StringBuilder chainPem = new StringBuilder();
        chain.forEach(c -> chainPem.append(TestSigstore.pem(c)));
        annotations.put("dev.sigstore.cosign/chain", chainPem.toString());
        entry.ifPresent(e -> annotations.put("dev.sigstore.cosign/bundle", setBundle(e)));
        timestamp.ifPresent(t -> annotations.put("dev.sigstore.cosign/rfc3161timestamp", rfc3161Annotation(t)));
        return new LegacyLayer(payload, base64Signature, annotations);
    }

    /**
     * cosign {@code pkg/cosign/bundle/rekor.go}: {@code RekorBundle{SignedEntryTimestamp, Payload{body,
     * integratedTime, logIndex, logID}}}; body base64 of the canonical entry, logID hex.
     */
    public static String setBundle(TestSigstore.LogEntry entry) {
        ObjectNode bundle = TestSigstore.json().createObjectNode();
        bundle.put("SignedEntryTimestamp", Base64.getEncoder().encodeToString(entry.signedEntryTimestamp()));
        ObjectNode payload = bundle.putObject("Payload");
        payload.put("body", Base64.getEncoder().encodeToString(entry.body()));
        payload.put("integratedTime", entry.integratedTime());
        payload.put("logIndex", entry.logIndex());
        payload.put("logID", entry.logIdHex());
        return new String(TestSigstore.bytes(bundle), StandardCharsets.UTF_8);
    }

    /** cosign {@code pkg/cosign/bundle/tsa.go}: {@code RFC3161Timestamp{SignedRFC3161Timestamp}}. */
    public static String rfc3161Annotation(byte[] timestamp) {
        return "{\"SignedRFC3161Timestamp\":\"" + Base64.getEncoder().encodeToString(timestamp) + "\"}";
    }

    /**
     * An in-toto statement v1 naming the image manifest as its subject, with cosign 3's signing predicate type
     * (cosign {@code pkg/cosign/bundle}; the engine's {@code cosign/InTotoStatement}).
     */
    public static byte[] cosignSignStatement(String name, String manifestSha256Hex) {
        return ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + name + "\",\"digest\":{\"sha256\":\""
                + manifestSha256Hex + "\"}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Which content a bundle holds. */
    public sealed interface Content permits Dsse, MessageSignature {
    }

    /** A DSSE envelope (in-toto payload type) with its one signature. */
    public record Dsse(byte[] payload, byte[] signature) implements Content {
    }

    /** A message signature over an artifact whose SHA-256 is {@code digest}. */
    public record MessageSignature(byte[] digest, byte[] signature) implements Content {
    }

    /**
     * A Sigstore bundle (protobuf-specs {@code protos/sigstore_bundle.proto}, {@code sigstore_rekor.proto}, in
     * protobuf JSON: int64 as strings, bytes as base64): v0.3 puts the leaf in {@code certificate}, v0.1 and v0.2 a
     * chain in {@code x509CertificateChain}; v0.1 entries carry the SET, later ones the inclusion proof with its
     * checkpoint (and the SET too when {@code withSet}).
     */
    public static byte[] bundle(int minorVersion, X509Certificate leaf, List<TestSigstore.LogEntry> entries, String kind,
            List<byte[]> timestamps, Content content, boolean withSet) {
        ObjectNode bundle = TestSigstore.json().createObjectNode();
        bundle.put("mediaType", minorVersion == 3 ? "application/vnd.dev.sigstore.bundle.v0.3+json"
                : "application/vnd.dev.sigstore.bundle+json;version=0." + minorVersion);
        ObjectNode material = bundle.putObject("verificationMaterial");
        if (minorVersion == 3) {
            material.putObject("certificate").put("rawBytes", TestSigstore.der64(leaf));
        } else {
            material.putObject("x509CertificateChain").putArray("certificates").addObject().put("rawBytes", TestSigstore.der64(leaf));
        }
        ArrayNode tlog = material.putArray("tlogEntries");
        for (TestSigstore.LogEntry entry : entries) {
            ObjectNode node = tlog.addObject();
            node.put("logIndex", Long.toString(entry.logIndex()));
            node.putObject("logId").put("keyId", Base64.getEncoder().encodeToString(entry.logId()));
            node.putObject("kindVersion").put("kind", kind).put("version", "0.0.1");
            node.put("integratedTime", Long.toString(entry.integratedTime()));
            if (withSet || minorVersion == 1) {
                node.putObject("inclusionPromise").put("signedEntryTimestamp", Base64.getEncoder().encodeToString(entry.signedEntryTimestamp()));
            }
            if (minorVersion >= 2) {
                ObjectNode proof = node.putObject("inclusionProof");
                proof.put("logIndex", Long.toString(entry.logIndex()));
                proof.put("rootHash", Base64.getEncoder().encodeToString(entry.rootHash()));
                proof.put("treeSize", Long.toString(entry.treeSize()));
                ArrayNode hashes = proof.putArray("hashes");
                entry.proofHashes().forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
                proof.putObject("checkpoint").put("envelope", entry.checkpoint());
            }
            node.put("canonicalizedBody", Base64.getEncoder().encodeToString(entry.body()));
        }
        if (!timestamps.isEmpty()) {
            ArrayNode list = material.putObject("timestampVerificationData").putArray("rfc3161Timestamps");
            timestamps.forEach(t -> list.addObject().put("signedTimestamp", Base64.getEncoder().encodeToString(t)));
        }
        if (content instanceof Dsse) {
            Dsse dsse = (Dsse) content;
            ObjectNode envelope = bundle.putObject("dsseEnvelope");
            envelope.put("payload", Base64.getEncoder().encodeToString(dsse.payload()));
            envelope.put("payloadType", "application/vnd.in-toto+json");
            envelope.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(dsse.signature())).put("keyid", "");
        } else {
            MessageSignature message = (MessageSignature) content;
            ObjectNode node = bundle.putObject("messageSignature");
            node.putObject("messageDigest").put("algorithm", "SHA2_256").put("digest", Base64.getEncoder().encodeToString(message.digest()));
            node.put("signature", Base64.getEncoder().encodeToString(message.signature()));
        }
        return TestSigstore.bytes(bundle);
    }

    /** DSSE's pre-authentication encoding (secure-systems-lab/dsse {@code protocol.md}), what a DSSE signer signs. */
    public static byte[] pae(byte[] payload) {
        String type = "application/vnd.in-toto+json";
        byte[] head = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }
}
