package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the registry has the blob, so an upload can be skipped. */
final class BlobChecker implements RegistryEndpoint<Boolean> {
    private final String repository;
    private final Digest digest;

    BlobChecker(String repository, Digest digest) {
        this.repository = repository;
        this.digest = digest;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.blob(apiBase, repository, digest.toString());
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Boolean handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw context.unexpected(response);
        }
        return true;
    }
}
