package io.jenkins.plugins.imagetrust.engine.registry.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A user name and password, or an OAuth2 identity (refresh) token. The secret is a {@code char[]} copied in and
 * out and cleared by {@link #close()}; {@link #toString()} never shows it.
 *
 * <p>Used directly as a {@link RegistryCredentialsProvider}, the same credentials are offered to every registry the
 * client talks to; use {@link RegistryCredentialsProvider#forRegistry} to restrict them to one.
 */
public final class RegistryCredentials implements RegistryCredentialsProvider, AutoCloseable {
    /** What the secret is. */
    public enum Kind {
        /** User name and password, sent as HTTP Basic to the registry or its token realm. */
        BASIC,
        /** An OAuth2 refresh token ({@code identitytoken} in {@code config.json}), exchanged at the token realm. */
        IDENTITY_TOKEN
    }

    private final Kind kind;
    private final String username;
    private final char[] secret;

    private RegistryCredentials(Kind kind, String username, char[] secret) {
        this.kind = kind;
        this.username = username;
        this.secret = secret.clone();
    }

    /** User name and password; the password array is copied (the caller may clear its own). */
    public static RegistryCredentials basic(String username, char[] password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a registry user name must be non-empty and hold no ':'");
        }
        return new RegistryCredentials(Kind.BASIC, username, password);
    }

    /** An identity (refresh) token; {@code username} is what {@code config.json} had, often empty. */
    public static RegistryCredentials identityToken(String username, char[] refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        return new RegistryCredentials(Kind.IDENTITY_TOKEN, username == null ? "" : username, refreshToken);
    }

    public Kind kind() {
        return kind;
    }

    public String username() {
        return username;
    }

    /** A copy of the secret; clear it after use. */
    public char[] secret() {
        return secret.clone();
    }

    /** The value of an {@code Authorization: Basic …} header. Only for {@link Kind#BASIC}. */
    public String basicAuthorization() {
        if (kind != Kind.BASIC) {
            throw new IllegalStateException("an identity token cannot be sent as Basic credentials");
        }
        CharBuffer chars = CharBuffer.allocate(username.length() + 1 + secret.length);
        chars.put(username).put(':').put(secret).flip();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(chars);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(bytes);
        } finally {
            Arrays.fill(chars.array(), '\0');
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    /** A copy that the receiver may close independently. */
    public RegistryCredentials copy() {
        return new RegistryCredentials(kind, username, secret);
    }

    @Override
    public Optional<RegistryCredentials> credentialsFor(String registry) {
        return Optional.of(copy());
    }

    /** Clears the secret. */
    @Override
    public void close() {
        Arrays.fill(secret, '\0');
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + kind + ", user=" + username + ", secret=****]";
    }
}
