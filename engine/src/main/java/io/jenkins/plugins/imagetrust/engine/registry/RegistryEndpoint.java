package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.http.HttpTransport;
import java.net.URI;
import java.util.Map;

/**
 * One registry API call: what to send and what the answer means. {@link RegistryEndpointCaller} runs it (auth,
 * retries, 401/403 and 429/5xx handling); the endpoint sees every other response, including 404.
 */
interface RegistryEndpoint<T> {
    String method();

    /** The full request URI, given the registry's API base ({@code scheme://host[:port]}). */
    URI uri(URI apiBase);

    /** Request headers other than {@code Authorization}: {@code Accept}, {@code Content-Type}. */
    default Map<String, String> headers() {
        return Map.of();
    }

    /** The request body, or null. */
    default byte[] body() {
        return null;
    }

    /** The largest success body to read; larger fails with {@link SizeLimitExceededException}. */
    default long maxResponseBytes() {
        return HttpTransport.MAX_ERROR_BODY_BYTES;
    }

    /** What the body is, for size-limit messages. */
    default String describeBody() {
        return "the response body";
    }

    /** Whether sending the request twice is harmless, so that the caller may retry it on its own. */
    boolean idempotent();

    T handleResponse(HttpResult response, CallContext context) throws RegistryException;
}
