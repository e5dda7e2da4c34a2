package io.jenkins.plugins.imagetrust.engine.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-HTTP requests to a real loopback registry with the JDK client, for tests: a HEAD that resolves a tag (a
 * real {@link RegistryDigestLookup}, until {@code RegistryClient::resolve} exists) and the raw manifest copy a second
 * pusher would make.
 */
final class RegistryHttp implements RegistryDigestLookup {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Descriptor resolve(ImageReference image) throws RegistryException {
        HttpResponse<Void> response = send(image, "resolve", request(image, "/manifests/" + image.manifestReference())
                .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new RegistryException(image.registry(), image.repository(), "resolve",
                    "HEAD " + image.manifestReference() + " answered HTTP " + response.statusCode());
        }
        String digest = response.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new RegistryException(image.registry(), image.repository(), "resolve", "no Docker-Content-Digest"));
        return new Descriptor(response.headers().firstValue("Content-Type").orElse(""), Digest.parse(digest),
                response.headers().firstValueAsLong("Content-Length").orElse(0));
    }

    /** The manifest bytes {@code image} names, checked against their digest when asked by digest. */
    byte[] manifest(ImageReference image) throws RegistryException {
        HttpResponse<byte[]> response = send(image, "get manifest", request(image, "/manifests/" + image.manifestReference())
                .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS)).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new RegistryException(image.registry(), image.repository(), "get manifest", "HTTP " + response.statusCode());
        }
        return response.body();
    }

    /**
     * What another pusher does: puts the manifest {@code source} names under {@code target}'s tag, mounting its
     * blobs into {@code target}'s repository first when that is another one. Returns the pushed manifest's digest.
     */
    Digest copyManifest(ImageReference source, ImageReference target) throws RegistryException, IOException {
        byte[] manifest = manifest(source);
        JsonNode json = new ObjectMapper().readTree(manifest);
        if (!source.sameRepository(target)) {
            List<String> blobs = new ArrayList<>();
            blobs.add(json.path("config").path("digest").asText());
            json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
            for (String blob : blobs) {
                HttpResponse<Void> mounted = send(target, "mount blob", request(target, "/blobs/uploads/?mount=" + blob
                        + "&from=" + source.repository()).POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
                if (mounted.statusCode() != 201) {
                    throw new RegistryException(target.registry(), target.repository(), "mount blob", blob + ": HTTP " + mounted.statusCode());
                }
            }
        }
        HttpResponse<Void> put = send(target, "put manifest", request(target, "/manifests/" + target.tagOrDefault())
                .header("Content-Type", json.path("mediaType").asText())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), HttpResponse.BodyHandlers.discarding());
        if (put.statusCode() != 201) {
            throw new RegistryException(target.registry(), target.repository(), "put manifest", "HTTP " + put.statusCode());
        }
        return Digest.sha256(manifest);
    }

    private static HttpRequest.Builder request(ImageReference image, String suffix) {
        return HttpRequest.newBuilder(URI.create("http://" + image.registryApiHost() + "/v2/" + image.repository() + suffix))
                .timeout(Duration.ofSeconds(20));
    }

    private <T> HttpResponse<T> send(ImageReference image, String operation, HttpRequest.Builder request,
            HttpResponse.BodyHandler<T> handler) throws RegistryException {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new RegistryException(image.registry(), image.repository(), operation, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(image.registry(), image.repository(), operation, "interrupted", e);
        }
    }
}
