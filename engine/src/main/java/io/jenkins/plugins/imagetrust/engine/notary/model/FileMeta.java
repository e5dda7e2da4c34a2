package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.HashMismatchException;
import io.jenkins.plugins.imagetrust.engine.notary.LengthMismatchException;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The length and hashes of a file, as snapshot and timestamp record metadata files and targets record
 * images ({@code {"hashes":{"sha256":<base64>,…},"length":n}}). Hashes are raw bytes (base64 on the wire).
 */
public final class FileMeta {
    private static final Map<String, String> JCA_NAMES = Map.of("sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    private final long length;
    private final Map<String, byte[]> hashes;

    public FileMeta(long length, Map<String, byte[]> hashes) {
        if (length < 0) {
            throw new IllegalArgumentException("a length cannot be negative");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        hashes.forEach((algorithm, value) -> copy.put(algorithm, value.clone()));
        this.length = length;
        this.hashes = Collections.unmodifiableMap(copy);
    }

    /** The length and the sha256 and sha512 hashes of {@code content} (what notary records for metadata). */
    public static FileMeta of(byte[] content) {
        return new FileMeta(content.length, Map.of("sha256", hash("sha256", content), "sha512", hash("sha512", content)));
    }

    static FileMeta fromJson(JsonNode node, String role, String entry) throws MalformedMetadataException {
        if (node == null || !node.isObject()) {
            throw new MalformedMetadataException(role, "'" + entry + "' must be an object with hashes and length");
        }
        long length = JsonFields.natural(node, "length", role);
        Map<String, byte[]> hashes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = JsonFields.object(node, "hashes", role).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> hash = it.next();
            if (!hash.getValue().isTextual()) {
                throw new MalformedMetadataException(role, "hash " + hash.getKey() + " of '" + entry + "' must be a string");
            }
            hashes.put(hash.getKey(), JsonFields.base64(hash.getValue().textValue(), "hash " + hash.getKey() + " of '" + entry + "'", role));
        }
        if (hashes.isEmpty()) {
            throw new MalformedMetadataException(role, "'" + entry + "' records no hash");
        }
        return new FileMeta(length, hashes);
    }

    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        ObjectNode hashNode = node.putObject("hashes");
        hashes.forEach((algorithm, value) -> hashNode.put(algorithm, Base64.getEncoder().encodeToString(value)));
        node.put("length", length);
        return node;
    }

    public long length() {
        return length;
    }

    /** Hashes by algorithm name ({@code sha256}, {@code sha512}…), raw bytes. */
    public Map<String, byte[]> hashes() {
        Map<String, byte[]> copy = new TreeMap<>();
        hashes.forEach((algorithm, value) -> copy.put(algorithm, value.clone()));
        return copy;
    }

    /**
     * Lowercase hex of the sha256 hash, the name under which the server serves the file by checksum.
     *
     * @param role the file this entry describes, for the error message
     */
    public String sha256Hex(String role) throws MalformedMetadataException {
        byte[] sha256 = hashes.get("sha256");
        if (sha256 == null || sha256.length != 32) {
            throw new MalformedMetadataException(role, "its parent records no 32-byte sha256 hash for it");
        }
        return HexFormat.of().formatHex(sha256);
    }

    /**
     * Checks {@code content} against the length and every hash this entry records that we can compute; at
     * least one hash must be checkable. An unknown algorithm alone is not enough to trust the bytes.
     */
    public void verify(String role, byte[] content) throws LengthMismatchException, HashMismatchException, MalformedMetadataException {
        if (content.length != length) {
            throw new LengthMismatchException(role, length, content.length);
        }
        int checked = 0;
        for (Map.Entry<String, byte[]> expected : hashes.entrySet()) {
            if (!JCA_NAMES.containsKey(expected.getKey())) {
                continue;
            }
            byte[] actual = hash(expected.getKey(), content);
            if (!MessageDigest.isEqual(actual, expected.getValue())) {
                throw new HashMismatchException(role, expected.getKey(), HexFormat.of().formatHex(expected.getValue()), HexFormat.of().formatHex(actual));
            }
            checked++;
        }
        if (checked == 0) {
            throw new MalformedMetadataException(role, "its parent records no sha256, sha384 or sha512 hash");
        }
    }

    static byte[] hash(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(JCA_NAMES.get(algorithm)).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FileMeta[" + length + " bytes, " + hashes.keySet() + "]";
    }
}
