package io.jenkins.plugins.imagetrust.engine.testing;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small, distinct images pushed straight into a test registry (a config, one layer and a Docker v2 manifest). */
public final class TestImages {
    private TestImages() {
    }

    /** Pushes a new image under {@code image}'s tag and returns its manifest digest. */
    public static Digest push(RegistryClient registry, ImageReference image) throws RegistryException {
        return push(registry, image, UUID.randomUUID().toString());
    }

    /** Pushes an image whose single layer holds {@code content}; the same content gives the same digest. */
    public static Digest push(RegistryClient registry, ImageReference image, String content) throws RegistryException {
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = registry.pushBlob(image, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest
                + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.pushBlob(image, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length + ",\"digest\":\"" + configDigest
                + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + layer.length
                + ",\"digest\":\"" + layerDigest + "\"}]}").getBytes(StandardCharsets.UTF_8);
        return registry.pushManifest(image, image.tagOrDefault(), manifest, MediaTypes.DOCKER_MANIFEST);
    }
}
