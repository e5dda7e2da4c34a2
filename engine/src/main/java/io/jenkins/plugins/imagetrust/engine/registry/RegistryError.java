package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.Objects;

/**
 * One entry of an OCI error body {@code {"errors":[{"code","message","detail"}]}}. Texts come from the
 * registry, so they are shortened and stripped of control characters before they reach a message.
 *
 * @param code the error code, e.g. {@code MANIFEST_UNKNOWN}, or empty
 * @param message the registry's message, or empty
 * @param detail the {@code detail} value as compact JSON text, or empty
 */
public record RegistryError(String code, String message, String detail) {
    public RegistryError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        String text = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
        return detail.isEmpty() || detail.equals("null") ? text : text + " (" + detail + ")";
    }
}
