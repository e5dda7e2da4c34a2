package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;

/** {@code GET /v2/<name>/blobs/<digest>} (often redirected to storage), capped and checked against the digest. */
final class BlobPuller implements RegistryEndpoint<byte[]> {
    private final String repository;
    private final Digest digest;
    private final long maxBytes;

    BlobPuller(String repository, Digest digest, long maxBytes) {
        this.repository = repository;
        this.digest = digest;
        this.maxBytes = maxBytes;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.blob(apiBase, repository, digest.toString());
    }

    @Override
    public long maxResponseBytes() {
        return maxBytes;
    }

    @Override
    public String describeBody() {
        return "blob " + digest.shortForm();
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public byte[] handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 404) {
            throw context.blobUnknown(response, digest);
        }
        if (response.statusCode() != 200) {
            throw context.unexpected(response);
        }
        byte[] bytes = response.body();
        if (!digest.matches(bytes)) {
            throw context.mismatch(digest, Digest.of(digest.algorithm(), bytes), "blob " + digest.shortForm());
        }
        return bytes;
    }
}
