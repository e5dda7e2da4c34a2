package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import java.net.URI;

/**
 * {@code POST /v2/<name>/blobs/uploads/}: opens an upload session and returns its {@code Location}, resolved
 * against the answering URI (registries send relative and absolute forms). Not idempotent: it creates a session.
 */
final class BlobUploadStarter implements RegistryEndpoint<URI> {
    private final String repository;

    BlobUploadStarter(String repository) {
        this.repository = repository;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.uploads(apiBase, repository);
    }

    @Override
    public byte[] body() {
        return new byte[0];
    }

    @Override
    public boolean idempotent() {
        return false;
    }

    @Override
    public URI handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() != 202) {
            throw context.unexpected(response, "the registry did not open an upload session");
        }
        String location = response.header("Location")
                .orElseThrow(() -> context.protocol("the upload session answer has no Location header"));
        try {
            return response.uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw context.protocol("the upload Location is not a valid URI: " + ErrorBodies.printable(location, 100));
        }
    }
}
