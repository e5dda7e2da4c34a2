package io.jenkins.plugins.imagetrust.engine.intoto;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonBase64;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope (secure-systems-lab/dsse {@code envelope.md}): a payload, its type and the signatures over its PAE.
 * The one reading of envelope JSON, for the {@code .att} layer (cosign writes the envelope as the layer) and for the
 * {@code dsseEnvelope} of a Sigstore bundle (the same members in protobuf JSON).
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
    /** More signatures than this are not read (cosign and sigstore write one). */
    public static final int MAX_SIGNATURES = 16;

    /** One signature: its key id (often empty) and its raw bytes. */
    public record Signature(String keyId, byte[] sig) {
        public Signature {
            Objects.requireNonNull(keyId, "keyId");
            sig = sig.clone();
        }

        @Override
        public byte[] sig() {
            return sig.clone();
        }
    }

    public DsseEnvelope {
        Objects.requireNonNull(payloadType, "payloadType");
        payload = payload.clone();
        signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * Reads an envelope object: a {@code payloadType} string, a base64 {@code payload}, 1 to {@link #MAX_SIGNATURES}
     * signature objects, each a non-empty base64 {@code sig} and an optional {@code keyid} string.
     *
     * @throws MalformedDocumentException naming what is wrong
     */
    public static DsseEnvelope read(JsonNode envelope) throws MalformedDocumentException {
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedDocumentException("the envelope is not a JSON object");
        }
        JsonNode payloadType = envelope.get("payloadType");
        if (payloadType == null || !payloadType.isTextual()) {
            throw new MalformedDocumentException("the envelope has no payloadType string");
        }
        byte[] payload = JsonBase64.decode(envelope.get("payload"), "the envelope payload");
        JsonNode signatureArray = envelope.get("signatures");
        if (signatureArray == null || !signatureArray.isArray() || signatureArray.isEmpty()) {
            throw new MalformedDocumentException("the envelope has no signatures");
        }
        if (signatureArray.size() > MAX_SIGNATURES) {
            throw new MalformedDocumentException("the envelope has " + signatureArray.size() + " signatures; at most " + MAX_SIGNATURES
                    + " are read");
        }
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode node : signatureArray) {
            if (!node.isObject()) {
                throw new MalformedDocumentException("an envelope signature is not an object");
            }
            byte[] sig = JsonBase64.decode(node.get("sig"), "an envelope signature");
            if (sig.length == 0) {
                throw new MalformedDocumentException("an envelope signature is empty");
            }
            JsonNode keyId = node.get("keyid");
            if (keyId != null && !keyId.isTextual()) {
                throw new MalformedDocumentException("an envelope signature's keyid is not a string");
            }
            signatures.add(new Signature(keyId == null ? "" : keyId.asText(), sig));
        }
        return new DsseEnvelope(payloadType.asText(), payload, signatures);
    }
}
