package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code multipart/form-data} body of notary's atomic publish ({@code POST /v2/<gun>/_trust/tuf/}): one
 * part per role, field name {@code files}, {@code filename} = the role, CRLF line ends. The reader exists for
 * tests and diagnostics and accepts exactly this shape.
 */
public final class Multipart {
    private static final String FIELD = "files";
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern DISPOSITION = Pattern.compile(
            "form-data;\\s*name=\"([^\"]*)\";\\s*filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=?-]{1,70}");

    private Multipart() {
    }

    /** One file of the upload: the role it holds and the metadata bytes. */
    public record Part(String filename, byte[] body) {
        public Part {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** A fresh random boundary (32 hex digits). */
    public static String newBoundary() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The {@code Content-Type} header value for a body written with {@code boundary}. */
    public static String contentType(String boundary) {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** Writes the body; every filename must be a valid role name. */
    public static byte[] write(String boundary, List<Part> parts) {
        checkBoundary(boundary);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a publish needs at least one metadata file");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            if (!RoleNames.isValid(part.filename())) {
                throw new IllegalArgumentException("not a role name: '" + part.filename() + "'");
            }
            ascii(out, "--" + boundary);
            out.writeBytes(CRLF);
            ascii(out, "Content-Disposition: form-data; name=\"" + FIELD + "\"; filename=\"" + part.filename() + "\"");
            out.writeBytes(CRLF);
            ascii(out, "Content-Type: application/octet-stream");
            out.writeBytes(CRLF);
            out.writeBytes(CRLF);
            out.writeBytes(part.body);
            out.writeBytes(CRLF);
        }
        ascii(out, "--" + boundary + "--");
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /**
     * Reads a body written with {@code boundary}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static List<Part> read(String boundary, byte[] body) {
        checkBoundary(boundary);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] separator = concat(CRLF, delimiter);
        if (!startsWith(body, 0, delimiter)) {
            throw new IllegalArgumentException("the body does not start with the boundary");
        }
        List<Part> parts = new ArrayList<>();
        int position = delimiter.length;
        while (true) {
            if (startsWith(body, position, "--".getBytes(StandardCharsets.US_ASCII))) {
                return parts; // closing delimiter; anything after it is epilogue
            }
            if (!startsWith(body, position, CRLF)) {
                throw new IllegalArgumentException("a boundary line must end with CRLF (part " + (parts.size() + 1) + ")");
            }
            int headersStart = position + 2;
            int headersEnd = indexOf(body, concat(CRLF, CRLF), headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("part " + (parts.size() + 1) + " has no end of headers");
            }
            String filename = filename(new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8), parts.size() + 1);
            int bodyStart = headersEnd + 4;
            int bodyEnd = indexOf(body, separator, bodyStart);
            if (bodyEnd < 0) {
                throw new IllegalArgumentException("part " + (parts.size() + 1) + " is not closed by the boundary");
            }
            parts.add(new Part(filename, Arrays.copyOfRange(body, bodyStart, bodyEnd)));
            position = bodyEnd + separator.length;
        }
    }

    private static String filename(String headers, int partNumber) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-disposition")) {
                Matcher matcher = DISPOSITION.matcher(line.substring(colon + 1).trim());
                if (!matcher.matches() || !FIELD.equals(matcher.group(1))) {
                    throw new IllegalArgumentException("part " + partNumber + " is not a form-data field 'files' with a filename");
                }
                return matcher.group(2);
            }
        }
        throw new IllegalArgumentException("part " + partNumber + " has no Content-Disposition");
    }

    private static void checkBoundary(String boundary) {
        if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
            throw new IllegalArgumentException("not a valid multipart boundary: '" + boundary + "'");
        }
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return offset + prefix.length <= data.length && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        for (int i = from; i + pattern.length <= data.length; i++) {
            if (startsWith(data, i, pattern)) {
                return i;
            }
        }
        return -1;
    }
}
