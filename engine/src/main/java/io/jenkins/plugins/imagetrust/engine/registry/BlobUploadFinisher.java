package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;
import java.util.Map;

/**
 * Monolithic upload: {@code PUT <Location>?digest=<digest>} (or {@code &digest=} when the Location has a query)
 * with the whole blob. Not retried on its own: the session may be consumed; the client restarts from a new session.
 */
final class BlobUploadFinisher implements RegistryEndpoint<Digest> {
    private final URI location;
    private final Digest digest;
    private final byte[] content;

    BlobUploadFinisher(URI location, Digest digest, byte[] content) {
        this.location = location;
        this.digest = digest;
        this.content = content;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public URI uri(URI apiBase) {
        // digests are [a-z0-9:], nothing to escape
        return RegistryPaths.withQueryParameter(location, "digest", digest.toString());
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", "application/octet-stream");
    }

    @Override
    public byte[] body() {
        return content;
    }

    @Override
    public boolean idempotent() {
        return false;
    }

    @Override
    public Digest handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() != 201 && response.statusCode() != 204) {
            throw context.unexpected(response, "the registry did not accept blob " + digest.shortForm());
        }
        String header = response.header("Docker-Content-Digest").orElse(null);
        if (header != null) {
            Digest stored = context.parseDigestHeader(header);
            if (!stored.equals(digest)) {
                throw context.mismatch(digest, stored, "the blob the registry stored");
            }
        }
        return digest;
    }
}
