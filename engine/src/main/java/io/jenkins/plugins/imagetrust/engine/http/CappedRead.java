package io.jenkins.plugins.imagetrust.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The engine's one capped read: at most a cap of bytes from a stream (a file, a process's output, a daemon's answer),
 * failing with {@link TooLargeException} that names what was too large, and never reading more than one byte past
 * the cap. HTTP bodies arriving through {@link HttpTransport} are capped the same way by {@link CappedBodySubscriber},
 * which fails with the same exception. Every intermediate buffer is cleared, so a key or a password read this way
 * leaves no stray copy behind; only the returned array holds the bytes, which the caller clears when they are secret.
 */
public final class CappedRead {
    private static final int FIRST_BUFFER = 8 * 1024;

    /** What was read was larger than its cap. The message: {@code <what> is larger than <cap> bytes}. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long cap;

        public TooLargeException(String what, long cap) {
            super(what + " is larger than " + cap + " bytes");
            this.cap = cap;
        }

        public long cap() {
            return cap;
        }
    }

    private CappedRead() {
    }

    /**
     * All of {@code in} (closed by the caller), or {@link TooLargeException} naming {@code what} when it holds more
     * than {@code maxBytes} bytes. A null stream reads as empty.
     */
    public static byte[] readAtMost(InputStream in, long maxBytes, String what) throws IOException {
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
        byte[] bytes = read(in, limit);
        if (bytes.length > maxBytes) {
            Arrays.fill(bytes, (byte) 0);
            throw new TooLargeException(what, maxBytes);
        }
        return bytes;
    }

    /**
     * All of {@code file}, or {@link TooLargeException} naming {@code what} and the file when it holds more than
     * {@code maxBytes} bytes (a file that grows while it is read is caught too: the cap is on what is read).
     */
    public static byte[] file(Path file, long maxBytes, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readAtMost(in, maxBytes, what + " " + file);
        }
    }

    /** The first {@code maxBytes} bytes of {@code in} (all of it when shorter); the rest is left unread. */
    public static byte[] prefix(InputStream in, int maxBytes) throws IOException {
        return read(in, maxBytes);
    }

    private static byte[] read(InputStream in, int limit) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        byte[] buffer = new byte[Math.min(limit, FIRST_BUFFER)];
        int length = 0;
        try {
            while (length < limit) {
                if (length == buffer.length) {
                    byte[] larger = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
                    Arrays.fill(buffer, (byte) 0);
                    buffer = larger;
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
            return Arrays.copyOf(buffer, length);
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }
}
