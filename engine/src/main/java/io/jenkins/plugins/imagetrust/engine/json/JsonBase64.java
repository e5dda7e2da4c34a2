package io.jenkins.plugins.imagetrust.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/** Bytes in a JSON document: protobuf JSON (Sigstore bundles, DSSE) writes standard base64 and reads URL-safe base64 too. */
public final class JsonBase64 {
    private JsonBase64() {
    }

    /**
     * The bytes a base64 string member holds.
     *
     * @param what names the member in the message, e.g. "the envelope payload"
     * @throws MalformedDocumentException when it is missing, not a string, or not base64
     */
    public static byte[] decode(JsonNode node, String what) throws MalformedDocumentException {
        if (node == null || !node.isTextual()) {
            throw new MalformedDocumentException(what + " is missing or not a string");
        }
        String text = node.asText();
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException standard) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException urlSafe) {
                throw new MalformedDocumentException(what + " is not base64");
            }
        }
    }
}
