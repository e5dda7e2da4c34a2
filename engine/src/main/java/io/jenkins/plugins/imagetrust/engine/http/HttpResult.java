package io.jenkins.plugins.imagetrust.engine.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A response after redirects: status, headers, the (capped) body and the URI that finally answered, which relative
 * {@code Location} and {@code Link} values resolve against. {@code truncated}: an error body longer than
 * {@link HttpTransport#MAX_ERROR_BODY_BYTES}, cut there (a success body over its cap is a failure instead).
 */
public record HttpResult(int statusCode, HttpHeaders headers, byte[] body, URI uri, boolean truncated) {
    public HttpResult(int statusCode, HttpHeaders headers, byte[] body, URI uri) {
        this(statusCode, headers, body, uri, false);
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** The media type of {@code Content-Type} without parameters, if any. */
    public Optional<String> mediaType() {
        return header("Content-Type").map(value -> {
            int semicolon = value.indexOf(';');
            return (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
        }).filter(value -> !value.isEmpty());
    }
}
