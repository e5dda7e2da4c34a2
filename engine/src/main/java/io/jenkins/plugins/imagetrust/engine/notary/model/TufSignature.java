package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One entry of a metadata file's {@code signatures}: the signing key's id, the method and the signature
 * bytes. An unknown method is kept (as {@code null}) so the verifier can report it as not counting rather
 * than reject the whole file.
 */
public record TufSignature(String keyId, SignatureMethod method, String methodName, byte[] value) {
    public TufSignature {
        value = value.clone();
    }

    public static TufSignature of(String keyId, SignatureMethod method, byte[] value) {
        return new TufSignature(keyId, method, method.wireName(), value);
    }

    static TufSignature fromJson(JsonNode node, String role) throws MalformedMetadataException {
        if (!node.isObject()) {
            throw new MalformedMetadataException(role, "a signature must be an object");
        }
        String keyId = JsonFields.text(node, "keyid", role);
        String methodName = JsonFields.text(node, "method", role);
        byte[] value = JsonFields.base64(JsonFields.text(node, "sig", role), "signature 'sig'", role);
        return new TufSignature(keyId, SignatureMethod.fromWireName(methodName).orElse(null), methodName, value);
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("keyid", keyId);
        node.put("method", methodName);
        node.put("sig", Base64.getEncoder().encodeToString(value));
        return node;
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TufSignature other && keyId.equals(other.keyId) && methodName.equals(other.methodName)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, methodName, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "TufSignature[" + keyId + ", " + methodName + ", " + value.length + " bytes]";
    }
}
