package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.util.Objects;

/**
 * A rejected bundle or an unreadable trusted root: the reason code and a one-line message naming what was wrong.
 * Messages quote text from the material (a media type, a certificate's name, a log entry's field), which an attacker
 * chooses; they are made safe here, once, so that no caller can forget: control and line-breaking characters are
 * shown escaped, and the length is capped, so a message is one log line that says what it received.
 */
public final class SigstoreException extends Exception {
    private static final long serialVersionUID = 1L;
    /** A message longer than this is cut: enough to name a field and quote a short value. */
    static final int MAX_MESSAGE_CHARS = 2000;

    private final SigstoreReason reason;

    public SigstoreException(SigstoreReason reason, String message) {
        super(oneLine(message));
        this.reason = Objects.requireNonNull(reason);
    }

    public SigstoreReason reason() {
        return reason;
    }

    /**
     * {@code text} with every character that could break or disguise a log line (C0/C1 controls, the Unicode line
     * and paragraph separators, the bidirectional overrides and isolates) escaped as {@code \\uXXXX}, cut to
     * {@link #MAX_MESSAGE_CHARS}.
     */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_MESSAGE_CHARS) + 16);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_MESSAGE_CHARS) {
                return out.append('…').toString();
            }
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
