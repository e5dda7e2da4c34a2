package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * Reading the protobuf-JSON documents of Sigstore (bundles, trusted roots) strictly: a duplicate member or trailing
 * content is an error (two readers must not see two meanings), every field is checked for its type, and every
 * failure carries the reason code of the document being read.
 */
final class SigstoreJson {
    private static final ObjectMapper MAPPER = JsonMappers.strictShallow();

    private final SigstoreReason reason;
    private final String document;

    SigstoreJson(SigstoreReason reason, String document) {
        this.reason = reason;
        this.document = document;
    }

    /** A field path such as {@code tlogs[0].} as a message names it, without the trailing dot. */
    static String place(String where) {
        return where.endsWith(".") ? where.substring(0, where.length() - 1) : where;
    }

    SigstoreException error(String message) {
        return new SigstoreException(reason, document + ": " + message);
    }

    JsonNode readObject(byte[] bytes, int maxBytes) throws SigstoreException {
        if (bytes.length > maxBytes) {
            throw error("it has " + bytes.length + " bytes; at most " + maxBytes + " are read");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            int newline = message.indexOf('\n');
            throw error("not JSON: " + (newline < 0 ? message : message.substring(0, newline)));
        } catch (IOException e) {
            throw error("not JSON: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw error("not a JSON object");
        }
        return root;
    }

    /** A member that must be an object. */
    JsonNode object(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw error(where + field + " is missing or not an object");
        }
        return node;
    }

    /** An optional member that, when present and not null, must be an object. */
    Optional<JsonNode> optionalObject(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw error(where + field + " is not an object");
        }
        return Optional.of(node);
    }

    /** A member that must be an array of at most {@code max} elements (absent: empty, as protobuf JSON omits it). */
    JsonNode array(JsonNode parent, String field, int max, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return MAPPER.createArrayNode();
        }
        if (!node.isArray()) {
            throw error(where + field + " is not an array");
        }
        if (node.size() > max) {
            throw error(where + field + " has " + node.size() + " elements; at most " + max + " are read");
        }
        return node;
    }

    String text(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw error(where + field + " is missing or not a string");
        }
        return node.asText();
    }

    Optional<String> optionalText(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw error(where + field + " is not a string");
        }
        return Optional.of(node.asText());
    }

    /** protobuf JSON bytes: standard base64, URL-safe accepted too; empty is an error. */
    byte[] base64(JsonNode parent, String field, String where) throws SigstoreException {
        return decodeBase64(text(parent, field, where), where + field);
    }

    byte[] decodeBase64(String text, String what) throws SigstoreException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException standard) {
            try {
                bytes = Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException urlSafe) {
                throw error(what + " is not base64");
            }
        }
        if (bytes.length == 0) {
            throw error(what + " is empty");
        }
        return bytes;
    }

    /** protobuf JSON int64: a decimal string (or a JSON integer), never negative here. */
    long nonNegativeLong(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        long value;
        if (node != null && node.isTextual()) {
            try {
                value = Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                throw error(where + field + " is not a 64-bit integer: '" + node.asText() + "'");
            }
        } else if (node != null && node.canConvertToLong() && node.isIntegralNumber()) {
            value = node.asLong();
        } else {
            throw error(where + field + " is missing or not an integer");
        }
        if (value < 0) {
            throw error(where + field + " is negative (" + value + ")");
        }
        return value;
    }

    Optional<Long> optionalNonNegativeLong(JsonNode parent, String field, String where) throws SigstoreException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(nonNegativeLong(parent, field, where));
    }

    /** An RFC 3339 time ({@code google.protobuf.Timestamp} in JSON). */
    Optional<Instant> optionalInstant(JsonNode parent, String field, String where) throws SigstoreException {
        Optional<String> text = optionalText(parent, field, where);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.get()));
        } catch (DateTimeParseException e) {
            throw error(where + field + " is not an RFC 3339 time: '" + text.get() + "'");
        }
    }
}
