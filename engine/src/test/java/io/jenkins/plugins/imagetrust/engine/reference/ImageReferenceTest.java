package io.jenkins.plugins.imagetrust.engine.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    private static final String HEX = "adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a";

    @ParameterizedTest
    @CsvSource({
        "alpine, docker.io, library/alpine, , docker.io/library/alpine",
        "alpine:3.20, docker.io, library/alpine, 3.20, docker.io/library/alpine:3.20",
        "user/app, docker.io, user/app, , docker.io/user/app",
        "docker.io/alpine, docker.io, library/alpine, , docker.io/library/alpine",
        "index.docker.io/library/alpine:1, docker.io, library/alpine, 1, docker.io/library/alpine:1",
        "localhost/app, localhost, app, , localhost/app",
        "localhost:5000/a/b/c:v1, localhost:5000, a/b/c, v1, localhost:5000/a/b/c:v1",
        "127.0.0.1:5001/lab/sigstore:signed, 127.0.0.1:5001, lab/sigstore, signed, 127.0.0.1:5001/lab/sigstore:signed",
        "registry.example.com/team/app-one_two.three:1.0-rc_1, registry.example.com, team/app-one_two.three, 1.0-rc_1, registry.example.com/team/app-one_two.three:1.0-rc_1",
        "[::1]:5000/app:x, [::1]:5000, app, x, [::1]:5000/app:x",
        "a__b/c--d, docker.io, a__b/c--d, , docker.io/a__b/c--d",
    })
    void normalisesLikeTheDockerCli(String input, String registry, String repository, String tag, String canonical) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag().orElse(null)).isEqualTo(tag);
        assertThat(ref.toString()).isEqualTo(canonical);
    }

    @Test
    void digestAndTagTogether() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/lab/app:1.0@sha256:" + HEX);
        assertThat(ref.tag()).contains("1.0");
        assertThat(ref.digest()).contains(Digest.parse("sha256:" + HEX));
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
        assertThat(ref.pinned()).isEqualTo("127.0.0.1:5000/lab/app@sha256:" + HEX);
    }

    @Test
    void dockerHubUsesItsApiHost() {
        ImageReference ref = ImageReference.parse("alpine");
        assertThat(ref.registryApiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ref.manifestReference()).isEqualTo("latest");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''| empty",
        "' alpine'| white space",
        "Alpine| lowercase",
        "docker.io/Library/alpine| lowercase",
        "app:| not a valid tag",
        "app:-x| not a valid tag",
        "app:.x| not a valid tag",
        "app@sha256:abc| 64 lowercase hex",
        "app@md5:" + "00112233445566778899aabbccddeeff| unsupported digest algorithm",
        "app@sha256:ADB8B1E2AB8B7F28F94A31F7D962A42FBB9EBAD2C519419B8C48877BFAB6CF1A| 64 lowercase hex",
        "-x.com/app| not a valid registry",
        "registry.com/| repository name is empty",
        "a//b| not a valid repository path component",
        "a/b_/c| not a valid repository path component",
        "adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a| image ID",
        "app@| digest is empty",
    })
    void rejectsMalformedReferencesSayingWhy(String input, String problem) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining("'" + input + "'");
    }

    @Test
    void rejectsOverlongNames() {
        String longName = "registry.example.com/" + "a".repeat(250);
        assertThatThrownBy(() -> ImageReference.parse(longName)).hasMessageContaining("longer than 255");
    }

    @Test
    void rejectsOverlongTags() {
        assertThat(ImageReference.parse("app:" + "t".repeat(128)).tag()).isPresent();
        assertThatThrownBy(() -> ImageReference.parse("app:" + "t".repeat(129))).hasMessageContaining("not a valid tag");
    }

    @Test
    void withDigestKeepsTagAndRepository() {
        Digest digest = Digest.parse("sha256:" + HEX);
        ImageReference ref = ImageReference.parse("localhost:5000/x:1").withDigest(digest);
        assertThat(ref.toString()).isEqualTo("localhost:5000/x:1@sha256:" + HEX);
        assertThat(ref.repositoryOnly().toString()).isEqualTo("localhost:5000/x");
        assertThat(ref.sameRepository(ImageReference.parse("localhost:5000/x:other"))).isTrue();
        assertThat(ref.sameRepository(ImageReference.parse("localhost:5001/x"))).isFalse();
    }
}
