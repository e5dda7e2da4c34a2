package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;

/**
 * The JSON reading every signed document here shares (simple-signing payloads, in-toto statements, Sigstore
 * bundles): a duplicate member or anything after the document is an error, because two readers that resolve them
 * differently would see two meanings in one signed text.
 */
final class StrictJson {
    static final ObjectMapper MAPPER = JsonMappers.strict();

    private StrictJson() {
    }

    /** The first line of a parser's message (Jackson appends the source location on further lines). */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
