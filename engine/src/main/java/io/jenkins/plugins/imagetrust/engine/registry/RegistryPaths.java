package io.jenkins.plugins.imagetrust.engine.registry;

import java.net.URI;

/** The distribution API routes. Repository names and references are already validated, so no escaping is needed. */
final class RegistryPaths {
    private RegistryPaths() {
    }

    static URI manifest(URI base, String repository, String reference) {
        return base.resolve("/v2/" + repository + "/manifests/" + reference);
    }

    static URI blob(URI base, String repository, String digest) {
        return base.resolve("/v2/" + repository + "/blobs/" + digest);
    }

    static URI uploads(URI base, String repository) {
        return base.resolve("/v2/" + repository + "/blobs/uploads/");
    }

    static URI tags(URI base, String repository, int pageSize) {
        return base.resolve("/v2/" + repository + "/tags/list?n=" + pageSize);
    }

    static URI ping(URI base) {
        return base.resolve("/v2/");
    }

    /** {@code uri} with one more query parameter, whether or not it already has a query. */
    static URI withQueryParameter(URI uri, String name, String encodedValue) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        return URI.create(text + (uri.getRawQuery() == null || uri.getRawQuery().isEmpty()
                ? (text.endsWith("?") ? "" : "?") : "&") + name + "=" + encodedValue);
    }
}
