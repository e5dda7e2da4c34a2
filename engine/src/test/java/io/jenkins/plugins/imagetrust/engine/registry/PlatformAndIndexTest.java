package io.jenkins.plugins.imagetrust.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Platform text as {@code --platform} takes it, and image indexes read strictly. */
class PlatformAndIndexTest {
    private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));

    private static Manifest index(String manifests) {
        return new Manifest(MediaTypes.OCI_INDEX, ("{\"schemaVersion\":2,\"manifests\":[" + manifests + "]}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void platformsParseAndMatchLikeContainerRuntimes() {
        assertThat(Platform.parse("Linux/ARM64").toString()).isEqualTo("linux/arm64");
        assertThat(Platform.parse("linux/arm/v7").variantIfAny()).contains("v7");
        assertThat(Platform.parse("linux/arm64").matches(new Platform("linux", "arm64", "v8"))).isTrue();
        assertThat(Platform.parse("linux/arm64/v8").matches(new Platform("linux", "arm64", null))).as("arm64 is arm64/v8").isTrue();
        assertThat(Platform.parse("linux/arm/v6").matches(new Platform("linux", "arm", "v7"))).isFalse();
        assertThat(Platform.parse("linux/amd64").matches(new Platform("windows", "amd64", null))).isFalse();
        for (String bad : new String[] {"linux", "linux/", "/arm64", "linux/arm/v7/x", "linux/arm 64"}) {
            assertThatThrownBy(() -> Platform.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("os/architecture[/variant]");
        }
    }

    @Test
    void indexEntriesCarryDescriptorPlatformAndAttestationMark() throws Exception {
        ImageIndex index = ImageIndex.parse(index("{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + A + "\",\"size\":7,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A + "\",\"size\":3,\"platform\":{\"os\":\"unknown\","
                + "\"architecture\":\"unknown\"},\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}"));
        assertThat(index.entries()).hasSize(2);
        assertThat(index.entries().get(0).descriptor()).isEqualTo(new Descriptor(MediaTypes.DOCKER_MANIFEST, A, 7));
        assertThat(index.entries().get(0).platformText()).isEqualTo("linux/arm/v7");
        assertThat(index.entries().get(0).isAttestation()).isFalse();
        assertThat(index.entries().get(1).isAttestation()).isTrue();
        assertThat(index.entries().get(1).platform().isUnknown()).isTrue();
    }

    @Test
    void malformedIndexesAreRefusedNamingTheEntry() {
        String good = "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A + "\"";
        assertThatThrownBy(() -> ImageIndex.parse(index("{" + good + ",\"size\":-1}"))).hasMessageContaining("manifests[0] has no valid size");
        assertThatThrownBy(() -> ImageIndex.parse(index("{" + good + "}"))).hasMessageContaining("no valid size");
        assertThatThrownBy(() -> ImageIndex.parse(index("{\"mediaType\":\"text/plain\",\"digest\":\"" + A + "\",\"size\":1}")))
                .hasMessageContaining("not an image manifest or index");
        assertThatThrownBy(() -> ImageIndex.parse(index("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:zz\",\"size\":1}")))
                .hasMessageContaining("no valid digest");
        assertThatThrownBy(() -> ImageIndex.parse(index("{" + good + ",\"size\":1,\"size\":2}"))).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ImageIndex.parse(index("{" + good + ",\"size\":1,\"platform\":{\"os\":\"linux\"}}")))
                .hasMessageContaining("without os or architecture");
        assertThatThrownBy(() -> ImageIndex.parse(new Manifest(MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("not an image index");
    }
}
