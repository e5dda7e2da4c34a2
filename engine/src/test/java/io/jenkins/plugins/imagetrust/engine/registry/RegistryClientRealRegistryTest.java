package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real docker-registry 2.8 on loopback (plain HTTP, anonymous). */
class RegistryClientRealRegistryTest {
    @RegisterExtension
    static RegistryFixture registry = new RegistryFixture();

    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final RegistryClient client = RegistryClient.builder().listener(events::add).build();

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI image manifest over a config blob and one layer, as exact bytes. */
    static byte[] ociManifest(byte[] config, byte[] layer) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config)
                + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digest.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}");
    }

    private Digest pushImage(ImageReference repo, String tag, String seed) throws RegistryException {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] layer = utf8("layer " + seed);
        client.pushBlob(repo, config);
        client.pushBlob(repo, layer);
        return client.pushManifest(repo, tag, ociManifest(config, layer), MediaTypes.OCI_MANIFEST);
    }

    @Test
    void pushedBlobAndManifestResolveBackByteExact() throws Exception {
        ImageReference repo = registry.reference("lab/roundtrip");
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] layer = utf8("not really a tar, but blobs are opaque");
        assertThat(client.pushBlob(repo, config)).isEqualTo(Digest.sha256(config));
        assertThat(client.pushBlob(repo, layer)).isEqualTo(Digest.sha256(layer));
        byte[] manifest = ociManifest(config, layer);

        Digest pushed = client.pushManifest(repo, "1.0", manifest, MediaTypes.OCI_MANIFEST);

        assertThat(pushed).isEqualTo(Digest.sha256(manifest));
        Descriptor resolved = client.resolve(repo.withTag("1.0"));
        assertThat(resolved).isEqualTo(new Descriptor(MediaTypes.OCI_MANIFEST, pushed, manifest.length));
        Manifest fetched = client.fetchManifest(repo, "1.0").orElseThrow();
        assertThat(fetched.bytes()).isEqualTo(manifest);
        assertThat(fetched.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(client.fetchManifest(repo, pushed.toString()).orElseThrow().bytes()).isEqualTo(manifest);
        assertThat(client.fetchBlob(repo, Digest.sha256(layer), 1024)).isEqualTo(layer);
        assertThat(client.resolve(repo.withDigest(pushed)).digest()).isEqualTo(pushed);
    }

    @Test
    void dockerV2ManifestRoundTripsWithItsFormatting() throws Exception {
        ImageReference repo = registry.reference("lab/dockerv2");
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        byte[] layer = utf8("docker layer");
        client.pushBlob(repo, config);
        client.pushBlob(repo, layer);
        byte[] dockerManifest = utf8("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaTypes.DOCKER_MANIFEST + "\",\n"
                + "   \"config\": {\"mediaType\": \"application/vnd.docker.container.image.v1+json\", \"size\": " + config.length
                + ", \"digest\": \"" + Digest.sha256(config) + "\"},\n   \"layers\": [{\"mediaType\": "
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\", \"size\": " + layer.length + ", \"digest\": \""
                + Digest.sha256(layer) + "\"}]\n}");

        Digest pushed = client.pushManifest(repo, "v2", dockerManifest, MediaTypes.DOCKER_MANIFEST);

        Descriptor resolved = client.resolve(repo.withTag("v2"));
        assertThat(resolved.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(resolved.digest()).isEqualTo(pushed).isEqualTo(Digest.sha256(dockerManifest));
        assertThat(client.fetchManifest(repo, "v2").orElseThrow().bytes()).isEqualTo(dockerManifest);
    }

    @Test
    void ociIndexRoundTripsWithItsMediaType() throws Exception {
        ImageReference repo = registry.reference("lab/index");
        byte[] config = utf8("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        byte[] layer = utf8("arm layer");
        client.pushBlob(repo, config);
        client.pushBlob(repo, layer);
        byte[] child = ociManifest(config, layer);
        Digest childDigest = client.pushManifest(repo, Digest.sha256(child).toString(), child, MediaTypes.OCI_MANIFEST);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + childDigest + "\",\"size\":" + child.length
                + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}");

        Digest indexDigest = client.pushManifest(repo, "multi", index, MediaTypes.OCI_INDEX);

        Descriptor resolved = client.resolve(repo.withTag("multi"));
        assertThat(resolved).isEqualTo(new Descriptor(MediaTypes.OCI_INDEX, indexDigest, index.length));
        Manifest fetched = client.fetchManifest(repo, "multi").orElseThrow();
        assertThat(fetched.bytes()).isEqualTo(index);
        assertThat(MediaTypes.isIndex(fetched.mediaType())).isTrue();
    }

    /** docker-registry 2.8 ignores {@code n} and sends no Link; the Link-following is tested on a scripted server. */
    @Test
    void tagListWithSmallPageSizeListsEveryTag() throws Exception {
        RegistryClient paged = RegistryClient.builder().tagPageSize(2).listener(events::add).build();
        ImageReference repo = registry.reference("lab/paged");
        List<String> expected = IntStream.range(0, 7).mapToObj(i -> "t" + i).collect(Collectors.toList());
        Digest digest = pushImage(repo, expected.get(0), "paged");
        byte[] manifest = client.fetchManifest(repo, digest.toString()).orElseThrow().bytes();
        for (String tag : expected.subList(1, expected.size())) {
            client.pushManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
        }

        List<String> tags = paged.listTags(repo);

        assertThat(tags).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void missingThingsAreEmptyOrTypedErrors() throws Exception {
        ImageReference repo = registry.reference("lab/missing");
        Digest absent = Digest.sha256(utf8("absent"));

        assertThat(client.fetchManifest(repo, "nope")).isEmpty();
        assertThat(client.fetchManifest(repo, absent.toString())).isEmpty();
        assertThat(client.listTags(repo)).isEmpty();
        assertThatThrownBy(() -> client.resolve(repo.withTag("nope")))
                .isInstanceOf(ManifestUnknownException.class)
                .hasMessageContaining(registry.host() + "/lab/missing")
                .hasMessageContaining("resolve")
                .satisfies(e -> assertThat(((ManifestUnknownException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> client.fetchBlob(repo, absent, 100))
                .isInstanceOf(BlobUnknownException.class)
                .hasMessageContaining(absent.toString());
    }

    @Test
    void existingBlobIsNotUploadedAgain() throws Exception {
        ImageReference repo = registry.reference("lab/dedupe");
        byte[] blob = utf8("upload me once");
        client.pushBlob(repo, blob);
        events.clear();

        Digest again = client.pushBlob(repo, blob);

        assertThat(again).isEqualTo(Digest.sha256(blob));
        assertThat(events).extracting(ProgressEvent::message)
                .anyMatch(m -> m.startsWith("HEAD ") && m.endsWith("-> 200"))
                .noneMatch(m -> m.startsWith("POST ") || m.startsWith("PUT "));
    }

    @Test
    void largeBlobAndManifestAreCheckedByHeadDespiteTheirSize() throws Exception {
        ImageReference repo = registry.reference("lab/large");
        byte[] big = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(big);
        client.pushBlob(repo, big);
        byte[] config = utf8("{}");
        client.pushBlob(repo, config);
        StringBuilder padding = new StringBuilder();
        for (int i = 0; i < 40 * 1024; i++) {
            padding.append('a');
        }
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":2},\"layers\":[{\"mediaType\":"
                + "\"application/octet-stream\",\"digest\":\"" + Digest.sha256(big) + "\",\"size\":" + big.length + "}],"
                + "\"annotations\":{\"padding\":\"" + padding + "\"}}");
        Digest digest = client.pushManifest(repo, "big", manifest, MediaTypes.OCI_MANIFEST);
        events.clear();

        assertThat(client.pushBlob(repo, big)).isEqualTo(Digest.sha256(big));
        assertThat(client.resolve(repo.withTag("big"))).isEqualTo(new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.length));
        assertThat(client.fetchBlob(repo, Digest.sha256(big), big.length)).isEqualTo(big);
        assertThatThrownBy(() -> client.fetchBlob(repo, Digest.sha256(big), big.length - 1))
                .isInstanceOf(SizeLimitExceededException.class);
        assertThat(events).extracting(ProgressEvent::message).noneMatch(m -> m.startsWith("POST "));
    }

    @Test
    void referrersFallBackToTheDigestTagOnARegistryWithoutTheApi() throws Exception {
        ImageReference repo = registry.reference("lab/referred");
        Digest subject = pushImage(repo, "1.0", "subject");
        assertThat(client.fetchReferrers(repo, subject)).isEmpty();

        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}");
        client.pushManifest(repo, RegistryClient.referrersFallbackTag(subject), index, MediaTypes.OCI_INDEX);

        Manifest found = client.fetchReferrers(repo, subject).orElseThrow();
        assertThat(found.bytes()).isEqualTo(index);
        assertThat(found.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(RegistryClient.referrersFallbackTag(subject)).isEqualTo("sha256-" + subject.hex());
    }

    @Test
    void pingAnswers() throws Exception {
        client.ping(registry.reference("lab/any"));
        assertThat(events).extracting(ProgressEvent::message).anyMatch(m -> m.contains("/v2/ -> 200"));
    }
}
