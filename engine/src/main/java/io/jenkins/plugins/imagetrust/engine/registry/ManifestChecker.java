package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<ref>} with all manifest types in {@code Accept}. Empty when the registry did
 * not say digest, type and size, so that the caller falls back to GET and hashes the body.
 */
final class ManifestChecker implements RegistryEndpoint<Optional<Descriptor>> {
    private final String repository;
    private final String reference;

    ManifestChecker(String repository, String reference) {
        this.repository = repository;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "HEAD";
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
    public boolean idempotent() {
        return true;
    }

    @Override
    public Optional<Descriptor> handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 404) {
            throw context.manifestUnknown(response, reference);
        }
        if (response.statusCode() != 200) {
            throw context.unexpected(response);
        }
        Optional<String> digestHeader = response.header("Docker-Content-Digest");
        Optional<String> mediaType = response.mediaType();
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (digestHeader.isEmpty() || mediaType.isEmpty() || size < 0) {
            return Optional.empty();
        }
        Digest digest = context.parseDigestHeader(digestHeader.get());
        return Optional.of(new Descriptor(mediaType.get(), digest, size));
    }
}
