package io.jenkins.plugins.imagetrust.engine.keys;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Handling of passphrases and PINs as arrays that are cleared after use (a String could not be). */
final class Secrets {
    private Secrets() {
    }

    /** UTF-8 bytes of {@code secret}, as Go's {@code []byte(password)}; no intermediate String. */
    static byte[] utf8(char[] secret) throws KeyException {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded = null;
        try {
            encoded = encoder.encode(CharBuffer.wrap(secret));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new KeyException("the passphrase is not valid Unicode text (an unpaired surrogate)");
        } finally {
            if (encoded != null && encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    static char[] copy(char[] secret) {
        return secret == null ? null : secret.clone();
    }

    static void clear(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }

    static void clear(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
