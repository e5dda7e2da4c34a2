package io.jenkins.plugins.imagetrust.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/manifests/<ref>}: the exact bytes, capped. When fetched by digest the bytes must hash to it;
 * a {@code Docker-Content-Digest} header that disagrees with the bytes is refused too. Empty on 404.
 */
final class ManifestPuller implements RegistryEndpoint<Optional<Manifest>> {
    private static final ObjectMapper JSON = JsonMappers.lenient();

    private final String repository;
    private final String reference;
    private final Digest expected;
    private final long maxBytes;

    /** {@code expected} is the digest {@code reference} names, or null for a tag. */
    ManifestPuller(String repository, String reference, Digest expected, long maxBytes) {
        this.repository = repository;
        this.reference = reference;
        this.expected = expected;
        this.maxBytes = maxBytes;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.manifest(apiBase, repository, reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS));
    }

    @Override
    public long maxResponseBytes() {
        return maxBytes;
    }

    @Override
    public String describeBody() {
        return "manifest " + reference;
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Optional<Manifest> handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw context.unexpected(response);
        }
        byte[] bytes = response.body();
        Digest actual = Digest.sha256(bytes);
        if (expected != null) {
            Digest computed = expected.algorithm().equals("sha256") ? actual : Digest.of(expected.algorithm(), bytes);
            if (!computed.equals(expected)) {
                throw context.mismatch(expected, computed, "manifest " + reference);
            }
        }
        Optional<String> header = response.header("Docker-Content-Digest");
        if (header.isPresent()) {
            Digest claimed = context.parseDigestHeader(header.get());
            Digest computed = claimed.algorithm().equals("sha256") ? actual : Digest.of(claimed.algorithm(), bytes);
            if (!computed.equals(claimed)) {
                throw context.mismatch(claimed, computed, "manifest " + reference + " (against its Docker-Content-Digest)");
            }
        }
        String mediaType = response.mediaType().filter(type -> !type.equals("application/json"))
                .or(() -> mediaTypeField(bytes))
                .orElseThrow(() -> context.protocol("manifest " + reference + " has neither a Content-Type nor a mediaType field"));
        String entityTag = response.header("ETag").map(String::strip).filter(tag -> !tag.isEmpty() && tag.length() <= 200).orElse(null);
        return Optional.of(new Manifest(mediaType, bytes, entityTag));
    }

    private static Optional<String> mediaTypeField(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? Optional.empty() : Optional.of(node.path("mediaType").asText("")).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
