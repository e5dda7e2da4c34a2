package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import java.net.URI;

/** {@code GET /v2/}: the registry speaks the distribution API and accepts our credentials. */
final class ApiPing implements RegistryEndpoint<Boolean> {
    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.ping(apiBase);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Boolean handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() != 200) {
            throw context.unexpected(response, "the registry API did not answer at /v2/");
        }
        return true;
    }
}
