package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Typed reads of metadata fields, each failure naming the role and the field. */
final class JsonFields {
    private JsonFields() {
    }

    static JsonNode object(JsonNode parent, String field, String role) throws MalformedMetadataException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new MalformedMetadataException(role, "'" + field + "' must be an object");
        }
        return node;
    }

    static JsonNode array(JsonNode parent, String field, String role) throws MalformedMetadataException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray()) {
            throw new MalformedMetadataException(role, "'" + field + "' must be an array");
        }
        return node;
    }

    static String text(JsonNode parent, String field, String role) throws MalformedMetadataException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedMetadataException(role, "'" + field + "' must be a string");
        }
        return node.textValue();
    }

    static List<String> texts(JsonNode parent, String field, String role) throws MalformedMetadataException {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array(parent, field, role)) {
            if (!item.isTextual()) {
                throw new MalformedMetadataException(role, "'" + field + "' must hold strings only");
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** A non-negative integer that fits a long (a fraction or a huge number is malformed). */
    static long natural(JsonNode parent, String field, String role) throws MalformedMetadataException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new MalformedMetadataException(role, "'" + field + "' must be a non-negative integer");
        }
        return node.longValue();
    }

    static boolean bool(JsonNode parent, String field, String role) throws MalformedMetadataException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isBoolean()) {
            throw new MalformedMetadataException(role, "'" + field + "' must be true or false");
        }
        return node.booleanValue();
    }

    static byte[] base64(String value, String what, String role) throws MalformedMetadataException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedMetadataException(role, what + " is not standard base64");
        }
    }

    /** RFC 3339 with any fraction (docker writes nanoseconds, other tools whole seconds) and any offset. */
    static Instant time(JsonNode parent, String field, String role) throws MalformedMetadataException {
        String text = text(parent, field, role);
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedMetadataException(role, "'" + field + "' is not an RFC 3339 time: " + text);
        }
    }
}
