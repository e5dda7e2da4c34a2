package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Uri;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * Where passwords come from: the environment ({@code IMAGE_TRUST_PASSWORD}, else {@code COSIGN_PASSWORD}), standard
 * input, or a prompt when a terminal is attached; never the command line, where every process listing shows it.
 */
final class Passwords {
    static final String ENV = "IMAGE_TRUST_PASSWORD";
    static final String COSIGN_ENV = "COSIGN_PASSWORD";
    static final String PKCS11_PIN_ENV = "IMAGE_TRUST_PKCS11_PIN";
    private static final int MAX_LINE = 4096;

    private Passwords() {
    }

    /** The key passphrase, or an error saying how to give one. {@code confirm} prompts twice (key generation). */
    static char[] keyPassphrase(CliContext context, String purpose, boolean confirm) throws CliUsageException, KeyException {
        String fromEnv = context.environment().get(ENV);
        if (fromEnv == null) {
            fromEnv = context.environment().get(COSIGN_ENV);
        }
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (context.console() == null) {
            throw new KeyException(purpose + " needs a passphrase: set " + ENV + " (or " + COSIGN_ENV + "); no terminal is attached to ask");
        }
        char[] first = context.console().readPassword("Passphrase for %s: ", purpose);
        if (first == null) {
            throw new CliUsageException("no passphrase was entered");
        }
        if (confirm) {
            char[] second = context.console().readPassword("Repeat the passphrase: ");
            boolean same = second != null && Arrays.equals(first, second);
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliUsageException("the passphrases differ");
            }
        }
        return first;
    }

    /** The PIN of a PKCS#11 token: IMAGE_TRUST_PKCS11_PIN, else the URI's pin-source file, else a prompt. */
    static char[] pkcs11Pin(CliContext context, Pkcs11Uri uri) throws KeyException, IOException {
        String fromEnv = context.environment().get(PKCS11_PIN_ENV);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (uri.pinSource().isPresent()) {
            try (InputStream in = Files.newInputStream(uri.pinSource().get())) {
                return firstLine(in);
            }
        }
        if (context.console() == null) {
            throw new KeyException("the PKCS#11 token needs a PIN: set " + PKCS11_PIN_ENV + " or add pin-source=<file> to the URI");
        }
        char[] pin = context.console().readPassword("PIN for the PKCS#11 token: ");
        if (pin == null) {
            throw new KeyException("no PIN was entered");
        }
        return pin;
    }

    /** The first line of {@code in} (trailing CR/LF removed), for {@code --password-stdin}. */
    static char[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() >= MAX_LINE) {
                throw new IOException("the password on standard input is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, length));
        char[] password = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars.array(), '\0');
        return password;
    }
}
