package io.jenkins.plugins.imagetrust.engine.testing;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Small, distinct images pushed straight into a test registry (a config, one layer and a Docker v2 manifest), and
 * multi-platform images built the way buildx pushes them: platform manifests by digest, a buildx-style attestation
 * manifest, and an OCI image index (or Docker manifest list) listing them, all through the registry API.
 */
public final class TestImages {
    private TestImages() {
    }

    /** Pushes a new image under {@code image}'s tag and returns its manifest digest. */
    public static Digest push(RegistryClient registry, ImageReference image) throws RegistryException {
        return push(registry, image, UUID.randomUUID().toString());
    }

    /** Pushes an image whose single layer holds {@code content}; the same content gives the same digest. */
    public static Digest push(RegistryClient registry, ImageReference image, String content) throws RegistryException {
        byte[] manifest = imageManifest(registry, image, content, "linux", "amd64", null);
        return registry.pushManifest(image, image.tagOrDefault(), manifest, MediaTypes.DOCKER_MANIFEST);
    }

    /** Pushes a new image for {@code os/architecture[/variant]} by digest only (as buildx pushes platform images). */
    public static Descriptor pushPlatformImage(RegistryClient registry, ImageReference repository, String os, String architecture,
            String variant) throws RegistryException {
        byte[] manifest = imageManifest(registry, repository, UUID.randomUUID().toString(), os, architecture, variant);
        Digest digest = registry.pushManifest(repository, Digest.sha256(manifest).toString(), manifest, MediaTypes.DOCKER_MANIFEST);
        return new Descriptor(MediaTypes.DOCKER_MANIFEST, digest, manifest.length);
    }

    /**
     * Pushes a buildx-style attestation manifest for {@code subject} by digest: an OCI manifest whose layer is an
     * in-toto statement; index it with {@link #attestationEntry}.
     */
    public static Descriptor pushAttestation(RegistryClient registry, ImageReference repository, Digest subject) throws RegistryException {
        byte[] statement = ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\","
                + "\"subject\":[{\"name\":\"x\",\"digest\":{\"sha256\":\"" + subject.hex() + "\"}}],\"predicate\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest layer = registry.pushBlob(repository, statement);
        byte[] config = "{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.pushBlob(repository, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + configDigest + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.in-toto+json\",\"size\":" + statement.length + ",\"digest\":\"" + layer + "\",\"annotations\":"
                + "{\"in-toto.io/predicate-type\":\"https://slsa.dev/provenance/v0.2\"}}]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = registry.pushManifest(repository, Digest.sha256(manifest).toString(), manifest, MediaTypes.OCI_MANIFEST);
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.length);
    }

    /** An index entry for {@code manifest} on {@code platform} ({@code os/architecture[/variant]}, or null for none). */
    public static String entry(Descriptor manifest, String platform) {
        return entry(manifest, platform, Map.of());
    }

    /** The index entry buildx writes for an attestation manifest of {@code subject}. */
    public static String attestationEntry(Descriptor attestation, Digest subject) {
        return entry(attestation, "unknown/unknown", Map.of("vnd.docker.reference.type", "attestation-manifest",
                "vnd.docker.reference.digest", subject.toString()));
    }

    private static String entry(Descriptor manifest, String platform, Map<String, String> annotations) {
        StringBuilder out = new StringBuilder("{\"mediaType\":\"" + manifest.mediaType() + "\",\"digest\":\"" + manifest.digest()
                + "\",\"size\":" + manifest.size());
        if (platform != null) {
            String[] parts = platform.split("/");
            out.append(",\"platform\":{\"architecture\":\"").append(parts[1]).append("\",\"os\":\"").append(parts[0]).append('"');
            if (parts.length == 3) {
                out.append(",\"variant\":\"").append(parts[2]).append('"');
            }
            out.append('}');
        }
        if (!annotations.isEmpty()) {
            out.append(",\"annotations\":{");
            annotations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(a -> out.append(out.charAt(out.length() - 1) == '{' ? "" : ",")
                    .append('"').append(a.getKey()).append("\":\"").append(a.getValue()).append('"'));
            out.append('}');
        }
        return out.append('}').toString();
    }

    /**
     * Pushes an image index of {@code mediaType} ({@link MediaTypes#OCI_INDEX} or {@link MediaTypes#DOCKER_MANIFEST_LIST})
     * listing {@code entries} under {@code tagOrNull} (null: by digest only).
     */
    public static Descriptor pushIndex(RegistryClient registry, ImageReference repository, String tagOrNull, String mediaType,
            List<String> entries) throws RegistryException {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[" + String.join(",", entries) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest digest = registry.pushManifest(repository, tagOrNull != null ? tagOrNull : Digest.sha256(index).toString(), index, mediaType);
        return new Descriptor(mediaType, digest, index.length);
    }

    /** What {@link #pushMultiPlatform} pushed. */
    public record MultiPlatform(Descriptor index, Descriptor amd64, Descriptor arm64, Descriptor attestation) {
    }

    /**
     * Pushes what a two-platform {@code docker buildx build --push} leaves under {@code tag}'s tag: an OCI index of a
     * linux/amd64 and a linux/arm64/v8 image, and a buildx attestation manifest for the amd64 one.
     */
    public static MultiPlatform pushMultiPlatform(RegistryClient registry, ImageReference tag) throws RegistryException {
        Descriptor amd64 = pushPlatformImage(registry, tag, "linux", "amd64", null);
        Descriptor arm64 = pushPlatformImage(registry, tag, "linux", "arm64", "v8");
        Descriptor attestation = pushAttestation(registry, tag, amd64.digest());
        Descriptor index = pushIndex(registry, tag, tag.tagOrDefault(), MediaTypes.OCI_INDEX, List.of(entry(amd64, "linux/amd64"),
                entry(arm64, "linux/arm64/v8"), attestationEntry(attestation, amd64.digest())));
        return new MultiPlatform(index, amd64, arm64, attestation);
    }

    private static byte[] imageManifest(RegistryClient registry, ImageReference repository, String content, String os, String architecture,
            String variant) throws RegistryException {
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = registry.pushBlob(repository, layer);
        byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"" + os + "\"" + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
                + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.pushBlob(repository, config);
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length + ",\"digest\":\"" + configDigest
                + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + layer.length
                + ",\"digest\":\"" + layerDigest + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }
}
