package io.jenkins.plugins.imagetrust.engine.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Text from a document shown in a one-line message: as a JSON string literal, so no value can break the line. */
public final class JsonText {
    /** Longer values are cut (a message names the value, it does not reproduce it). */
    public static final int MAX_SHOWN = 200;

    private JsonText() {
    }

    /** {@code value} as a JSON string literal, quotes included, control characters escaped, at most {@link #MAX_SHOWN} characters of it. */
    public static String quoted(String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "…" : value;
        return JsonNodeFactory.instance.textNode(shown).toString();
    }
}
