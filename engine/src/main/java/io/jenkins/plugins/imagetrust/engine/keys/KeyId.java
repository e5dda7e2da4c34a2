package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A key's id: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo. Shown wherever a key is named. */
public final class KeyId {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private final String hex;

    private KeyId(String hex) {
        this.hex = hex;
    }

    public static KeyId of(PublicKey key) {
        try {
            return new KeyId(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyId parse(String hex) {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a key id is 64 lowercase hex digits, not '" + hex + "'");
        }
        return new KeyId(hex);
    }

    public String hex() {
        return hex;
    }

    /** The first 12 hex digits, for log lines. */
    public String shortForm() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId && ((KeyId) o).hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(hex);
    }
}
