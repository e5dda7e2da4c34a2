package io.jenkins.plugins.imagetrust.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses OCI error bodies {@code {"errors":[{"code","message","detail"}]}} leniently: anything else is no errors. */
final class ErrorBodies {
    private static final ObjectMapper JSON = JsonMappers.lenient();
    private static final int MAX_ERRORS = 10;
    private static final int MAX_TEXT = 300;

    private ErrorBodies() {
    }

    static List<RegistryError> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return List.of();
        }
        if (root == null || !root.path("errors").isArray()) {
            return List.of();
        }
        List<RegistryError> errors = new ArrayList<>();
        for (JsonNode entry : root.path("errors")) {
            if (errors.size() == MAX_ERRORS) {
                break;
            }
            JsonNode detail = entry.path("detail");
            errors.add(new RegistryError(
                    printable(entry.path("code").asText(""), 64),
                    printable(entry.path("message").asText(""), MAX_TEXT),
                    detail.isMissingNode() || detail.isNull() ? "" : printable(detail.toString(), MAX_TEXT)));
        }
        return errors;
    }

    /** Remote text made safe for a message: control characters replaced, length capped. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return text.length() > max ? out + "…" : out.toString();
    }
}
