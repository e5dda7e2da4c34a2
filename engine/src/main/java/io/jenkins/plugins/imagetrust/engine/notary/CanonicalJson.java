package io.jenkins.plugins.imagetrust.engine.notary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form Notary v1 signs (Go {@code github.com/docker/go/canonical/json}): no whitespace,
 * object keys sorted by their UTF-8 bytes, only {@code "} and {@code \} escaped (control characters and
 * non-ASCII written raw), integers only. This is not RFC 8785 JCS. The output is a one-way serialisation for
 * hashing and signing: with a control character inside a string it is not even valid JSON.
 */
public final class CanonicalJson {
    /**
     * The parser for received metadata: floats kept exact (so {@code 1.5} is seen as a fraction), duplicate
     * keys rejected (Go keeps the last one; a parser differential must not decide what is signed), no
     * trailing content.
     */
    private static final ObjectMapper MAPPER = JsonMappers.tufMetadata();

    private CanonicalJson() {
    }

    /** The shared mapper: exact numbers, duplicate keys rejected. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses JSON bytes into a tree; duplicate keys and trailing content are errors. */
    public static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    /**
     * The canonical bytes of {@code node}.
     *
     * @throws IllegalArgumentException naming the offending value if the tree holds a fraction, a non-finite
     *     number or an unpaired surrogate, which the Go encoder refuses or cannot represent
     */
    public static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(node, out, "$");
        return out.toByteArray();
    }

    /**
     * A metadata file's bytes: {@code {"signed":<canonical>,"signatures":<canonical>}} in that order (Go
     * struct order, not key order; notary-server hashes this form when it builds snapshots).
     */
    public static byte[] encodeEnvelope(JsonNode signed, JsonNode signatures) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes("{\"signed\":".getBytes(StandardCharsets.US_ASCII));
        write(signed, out, "$.signed");
        out.writeBytes(",\"signatures\":".getBytes(StandardCharsets.US_ASCII));
        write(signatures, out, "$.signatures");
        out.write('}');
        return out.toByteArray();
    }

    private static void write(JsonNode node, ByteArrayOutputStream out, String path) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, path);
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(node.get(i), out, path + "[" + i + "]");
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out, path);
            case NUMBER -> writeNumber(node, out, path);
            case BOOLEAN -> out.writeBytes((node.booleanValue() ? "true" : "false").getBytes(StandardCharsets.US_ASCII));
            case NULL -> out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            default -> throw new IllegalArgumentException("cannot canonicalise a " + node.getNodeType() + " at " + path);
        }
    }

    private static void writeObject(JsonNode node, ByteArrayOutputStream out, String path) {
        List<Map.Entry<byte[], JsonNode>> members = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            members.add(Map.entry(utf8(field.getKey(), path), field.getValue()));
        }
        // Go sorts map keys as byte strings; Java's String order is UTF-16 and differs above the BMP.
        members.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        out.write('{');
        boolean first = true;
        for (Map.Entry<byte[], JsonNode> member : members) {
            if (!first) {
                out.write(',');
            }
            first = false;
            String key = new String(member.getKey(), StandardCharsets.UTF_8);
            writeString(key, out, path);
            out.write(':');
            write(member.getValue(), out, path + "." + key);
        }
        out.write('}');
    }

    private static void writeString(String text, ByteArrayOutputStream out, String path) {
        byte[] bytes = utf8(text, path);
        out.write('"');
        for (byte b : bytes) {
            if (b == '"' || b == '\\') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('"');
    }

    private static void writeNumber(JsonNode node, ByteArrayOutputStream out, String path) {
        String digits;
        if (node.isIntegralNumber()) {
            digits = node.bigIntegerValue().toString();
        } else {
            if (node.isDouble() || node.isFloat()) {
                double value = node.doubleValue();
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    throw new IllegalArgumentException("a non-finite number at " + path + " has no canonical form");
                }
            }
            BigDecimal value = node.decimalValue();
            BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
            if (stripped.scale() > 0) {
                throw new IllegalArgumentException("the fraction " + value.toPlainString() + " at " + path
                        + " has no canonical form (Notary canonical JSON allows integers only)");
            }
            digits = stripped.toBigIntegerExact().toString(); // 1.0 and 1e3 are integers to Go as well
        }
        out.writeBytes(digits.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("an unpaired UTF-16 surrogate at " + path + " has no UTF-8 form");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code text} holds a control character (U+0000–U+001F, U+007F–U+009F), which names must not. */
    public static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
