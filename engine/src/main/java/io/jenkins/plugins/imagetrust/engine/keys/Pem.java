package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal PEM (RFC 7468, plus RFC 1421 headers for legacy OpenSSL encryption) reader and writer. It works on bytes,
 * not Strings, so a decoded private key can be cleared; error messages name the block type and line, never content.
 */
final class Pem {
    /** Key files are small; anything larger is not a key and is refused before parsing. */
    static final int MAX_PEM_BYTES = 64 * 1024;
    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

    private Pem() {
    }

    /** One PEM block. {@link #der} may be secret: callers clear it with {@link #clear()}. */
    static final class Block {
        private final String type;
        private final Map<String, String> headers;
        private final byte[] der;

        Block(String type, Map<String, String> headers, byte[] der) {
            this.type = type;
            this.headers = headers;
            this.der = der;
        }

        String type() {
            return type;
        }

        /** RFC 1421 headers such as {@code Proc-Type} and {@code DEK-Info}; empty for most blocks. */
        Map<String, String> headers() {
            return headers;
        }

        byte[] der() {
            return der;
        }

        void clear() {
            Arrays.fill(der, (byte) 0);
        }

        @Override
        public String toString() {
            return "PEM block " + type; // never the content
        }
    }

    /** Every PEM block in {@code text}, in order. Text outside blocks is ignored, as OpenSSL does. */
    static List<Block> parse(byte[] text) throws KeyException {
        if (text == null || text.length == 0) {
            throw new KeyException("the key is empty: expected a PEM block (-----BEGIN ...-----)");
        }
        if (text.length > MAX_PEM_BYTES) {
            throw new KeyException("the key is " + text.length + " bytes, more than the " + MAX_PEM_BYTES
                    + " bytes a PEM key file can reasonably be");
        }
        List<byte[]> lines = splitLines(text);
        try {
            return blocks(lines);
        } finally {
            lines.forEach(line -> Arrays.fill(line, (byte) 0));
        }
    }

    private static List<Block> blocks(List<byte[]> lines) throws KeyException {
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String type = markerType(lines.get(i), BEGIN);
            if (type == null) {
                i++;
                continue;
            }
            int beginLine = i + 1;
            i++;
            Map<String, String> headers = new LinkedHashMap<>();
            ClearableBuffer base64 = new ClearableBuffer();
            boolean ended = false;
            boolean inHeaders = true;
            while (i < lines.size()) {
                byte[] line = lines.get(i);
                String endType = markerType(line, END);
                if (endType != null) {
                    if (!endType.equals(type)) {
                        throw new KeyException("PEM block '" + type + "' (line " + beginLine + ") ends with '-----END "
                                + endType + "-----' on line " + (i + 1));
                    }
                    ended = true;
                    i++;
                    break;
                }
                if (markerType(line, BEGIN) != null) {
                    throw new KeyException("PEM block '" + type + "' (line " + beginLine + ") has no END line before the next BEGIN on line " + (i + 1));
                }
                int colon = inHeaders ? indexOf(line, (byte) ':') : -1;
                if (colon > 0) {
                    String name = ascii(line, 0, colon).trim();
                    headers.put(name, ascii(line, colon + 1, line.length).trim());
                } else if (line.length == 0) {
                    inHeaders = false; // the blank line ending RFC 1421 headers
                } else {
                    inHeaders = false;
                    for (byte b : line) {
                        if (b != ' ' && b != '\t') {
                            base64.write(b);
                        }
                    }
                }
                i++;
            }
            try {
                if (!ended) {
                    throw new KeyException("PEM block '" + type + "' (line " + beginLine + ") has no '-----END " + type + "-----' line: the file is truncated");
                }
                blocks.add(new Block(type, headers, decodeBase64(type, base64)));
            } finally {
                base64.clear();
            }
        }
        if (blocks.isEmpty()) {
            throw new KeyException("no PEM block found: expected a line '-----BEGIN <TYPE>-----'");
        }
        return blocks;
    }

    /** PEM text with 64-character lines, as Go's {@code pem.Encode} and OpenSSL write it. */
    static byte[] encode(String type, byte[] der) {
        byte[] base64 = Base64.getEncoder().encode(der);
        ByteArrayOutputStream out = new ByteArrayOutputStream(base64.length + base64.length / 64 + 2 * type.length() + 40);
        out.writeBytes(("-----BEGIN " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
        for (int offset = 0; offset < base64.length; offset += 64) {
            out.write(base64, offset, Math.min(64, base64.length - offset));
            out.write('\n');
        }
        out.writeBytes(("-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
        Arrays.fill(base64, (byte) 0);
        return out.toByteArray();
    }

    /** A byte buffer whose internal array can be wiped (it may hold the base64 of a private key). */
    private static final class ClearableBuffer extends ByteArrayOutputStream {
        void clear() {
            Arrays.fill(buf, (byte) 0);
            reset();
        }
    }

    private static byte[] decodeBase64(String type, ByteArrayOutputStream base64) throws KeyException {
        byte[] chars = base64.toByteArray();
        try {
            if (chars.length == 0) {
                throw new KeyException("PEM block '" + type + "' is empty");
            }
            return Base64.getDecoder().decode(chars);
        } catch (IllegalArgumentException e) {
            throw new KeyException("PEM block '" + type + "' is not valid base64 (truncated or damaged)");
        } finally {
            Arrays.fill(chars, (byte) 0);
        }
    }

    /** The type in {@code -----BEGIN TYPE-----} (or END), or null when the line is not such a marker. */
    private static String markerType(byte[] line, byte[] prefix) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end < prefix.length + DASHES.length || !startsWith(line, prefix)) {
            return null;
        }
        for (int k = 0; k < DASHES.length; k++) {
            if (line[end - DASHES.length + k] != DASHES[k]) {
                return null;
            }
        }
        return ascii(line, prefix.length, end - DASHES.length);
    }

    /**
     * The lines of {@code text} without line ends and without leading blanks (keys pasted into a web form are often
     * indented); a UTF-8 byte order mark at the start is skipped.
     */
    private static List<byte[]> splitLines(byte[] text) {
        List<byte[]> lines = new ArrayList<>();
        boolean bom = text.length >= 3 && text[0] == (byte) 0xEF && text[1] == (byte) 0xBB && text[2] == (byte) 0xBF;
        int start = bom ? 3 : 0;
        for (int i = start; i <= text.length; i++) {
            if (i == text.length || text[i] == '\n') {
                int end = i;
                if (end > start && text[end - 1] == '\r') {
                    end--;
                }
                while (start < end && (text[start] == ' ' || text[start] == '\t')) {
                    start++;
                }
                lines.add(Arrays.copyOfRange(text, start, end));
                start = i + 1;
            }
        }
        return lines;
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        if (line.length < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (line[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] line, byte wanted) {
        for (int k = 0; k < line.length; k++) {
            if (line[k] == wanted) {
                return k;
            }
        }
        return -1;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        StringBuilder text = new StringBuilder(Math.max(0, to - from));
        for (int k = from; k < to; k++) {
            int c = bytes[k] & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '?'); // keep messages printable
        }
        return text.toString();
    }
}
