package io.jenkins.plugins.imagetrust.engine.reference;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:adb8…}: an algorithm and the lowercase hex of the hash.
 * Only algorithms whose hex length is known are accepted, so a digest is always checkable against bytes.
 */
public final class Digest {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private final String algorithm;
    private final String hex;

    private Digest(String algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /** Parses {@code algorithm:hex}; throws {@link InvalidReferenceException} naming what is wrong. */
    public static Digest parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException(String.valueOf(text), "a digest is empty");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidReferenceException(text, "a digest must have the form algorithm:hex, e.g. sha256:<64 hex digits>");
        }
        String algorithm = text.substring(0, colon);
        String hex = text.substring(colon + 1);
        int expected = hexLength(algorithm);
        if (expected < 0) {
            throw new InvalidReferenceException(text, "unsupported digest algorithm '" + algorithm + "' (sha256 and sha512 are supported)");
        }
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new InvalidReferenceException(text, "a " + algorithm + " digest needs exactly " + expected + " lowercase hex digits");
        }
        return new Digest(algorithm, hex);
    }

    /** The sha256 digest of {@code content}. */
    public static Digest sha256(byte[] content) {
        return of("sha256", content);
    }

    /** The digest of {@code content} under {@code algorithm} (sha256 or sha512). */
    public static Digest of(String algorithm, byte[] content) {
        if (hexLength(algorithm) < 0) {
            throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
        }
        return new Digest(algorithm, HexFormat.of().formatHex(hash(algorithm, content)));
    }

    /** A sha256 digest from its raw 32 bytes (Notary target hashes are base64 of these). */
    public static Digest sha256FromRaw(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("a sha256 hash has 32 bytes, not " + raw.length);
        }
        return new Digest("sha256", HexFormat.of().formatHex(raw));
    }

    private static byte[] hash(String algorithm, byte[] content) {
        String jca = algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
        try {
            return MessageDigest.getInstance(jca).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jca, e);
        }
    }

    private static int hexLength(String algorithm) {
        switch (algorithm) {
            case "sha256":
                return 64;
            case "sha512":
                return 128;
            default:
                return -1;
        }
    }

    public String algorithm() {
        return algorithm;
    }

    public String hex() {
        return hex;
    }

    public byte[] raw() {
        return HexFormat.of().parseHex(hex);
    }

    /** Whether {@code content} hashes to this digest. */
    public boolean matches(byte[] content) {
        return MessageDigest.isEqual(hash(algorithm, content), raw());
    }

    /** The tag cosign stores this digest's signatures under: {@code sha256-<hex>.sig}. */
    public String signatureTag() {
        return tagForm() + ".sig";
    }

    /** cosign's legacy attestation tag for this digest: {@code sha256-<hex>.att}. */
    public String attestationTag() {
        return tagForm() + ".att";
    }

    /** {@code sha256-<hex>}: the OCI referrers fallback tag, and the stem of cosign's tags. */
    public String tagForm() {
        return algorithm + "-" + hex;
    }

    /** A short form for logs: {@code sha256:adb8b1e2ab8b}. */
    public String shortForm() {
        return algorithm + ":" + hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest && ((Digest) o).algorithm.equals(algorithm) && ((Digest) o).hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, hex);
    }
}
