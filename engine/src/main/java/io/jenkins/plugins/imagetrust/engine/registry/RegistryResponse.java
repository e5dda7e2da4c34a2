package io.jenkins.plugins.imagetrust.engine.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A response after redirects: status, headers, the (capped) body and the URI that finally answered, which relative
 * {@code Location} and {@code Link} values resolve against.
 */
record RegistryResponse(int statusCode, HttpHeaders headers, byte[] body, URI uri) {
    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** The media type of {@code Content-Type} without parameters, if any. */
    Optional<String> mediaType() {
        return header("Content-Type").map(value -> {
            int semicolon = value.indexOf(';');
            return (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
        }).filter(value -> !value.isEmpty());
    }
}
