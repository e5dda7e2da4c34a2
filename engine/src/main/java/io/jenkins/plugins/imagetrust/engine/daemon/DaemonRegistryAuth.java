package io.jenkins.plugins.imagetrust.engine.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The registry credentials the Docker daemon should use for one request, sent as the {@code X-Registry-Auth}
 * header: base64url of {@code {}} (anonymous: the daemon then uses no credentials) or of
 * {@code {"username","password","serveraddress"}}.
 *
 * <p>The password is copied in and cleared by {@link #close()}. The header value necessarily becomes a
 * {@code String} for the HTTP transport; it is built per request, never logged and never kept.
 */
public final class DaemonRegistryAuth implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final String username;
    private final char[] password;
    private final String serverAddress;
    private boolean closed;

    private DaemonRegistryAuth(String username, char[] password, String serverAddress) {
        this.username = username;
        this.password = password;
        this.serverAddress = serverAddress;
    }

    /** No credentials: the header is base64url of {@code {}}. */
    public static DaemonRegistryAuth anonymous() {
        return new DaemonRegistryAuth(null, null, null);
    }

    /**
     * A user name and password for {@code serverAddress} (the registry as the docker CLI names it:
     * {@code registry.example.com:5000}, or {@code https://index.docker.io/v1/} for Docker Hub).
     * The password is copied; clear your own array.
     */
    public static DaemonRegistryAuth basic(String username, char[] password, String serverAddress) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(serverAddress, "serverAddress");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("the registry user name for " + serverAddress + " is empty");
        }
        return new DaemonRegistryAuth(username, password.clone(), serverAddress);
    }

    public boolean isAnonymous() {
        return username == null;
    }

    /** The {@code X-Registry-Auth} value: base64url (with padding, as the daemon decodes it) of the JSON. */
    String headerValue() {
        if (closed) {
            throw new IllegalStateException("these registry credentials were closed");
        }
        ClearableBytes json = new ClearableBytes();
        try {
            try (JsonGenerator generator = JSON.createGenerator(json)) {
                generator.writeStartObject();
                if (username != null) {
                    generator.writeStringField("username", username);
                    generator.writeFieldName("password");
                    generator.writeString(password, 0, password.length);
                    generator.writeStringField("serveraddress", serverAddress);
                }
                generator.writeEndObject();
            }
            byte[] plain = json.contents();
            byte[] encoded = Base64.getUrlEncoder().encode(plain);
            try {
                return new String(encoded, StandardCharsets.US_ASCII);
            } finally {
                Arrays.fill(plain, (byte) 0);
                Arrays.fill(encoded, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the X-Registry-Auth header", e);
        } finally {
            json.clear();
        }
    }

    /** Clears the password. */
    @Override
    public void close() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        closed = true;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "DaemonRegistryAuth[anonymous]"
                : "DaemonRegistryAuth[user=" + username + ", server=" + serverAddress + "]";
    }

    /** A byte buffer whose backing array can be wiped, unlike a plain {@link ByteArrayOutputStream}'s copies. */
    private static final class ClearableBytes extends ByteArrayOutputStream {
        byte[] contents() {
            return Arrays.copyOf(buf, count);
        }

        void clear() {
            Arrays.fill(buf, (byte) 0);
            count = 0;
        }
    }
}
