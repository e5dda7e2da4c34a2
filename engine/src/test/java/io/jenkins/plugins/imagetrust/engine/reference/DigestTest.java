package io.jenkins.plugins.imagetrust.engine.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    @Test
    void hashesTheInteropManifestToTheSignedDigest() {
        byte[] manifest = InteropFixtures.bytes("cosign/image-manifest.json");
        Digest digest = Digest.sha256(manifest);
        assertThat(digest.toString()).isEqualTo("sha256:adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a");
        assertThat(digest.matches(manifest)).isTrue();
        manifest[10] ^= 1;
        assertThat(digest.matches(manifest)).isFalse();
        assertThat(digest.signatureTag()).isEqualTo("sha256-adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a.sig");
    }

    @Test
    void roundTripsThroughTextAndRawBytes() {
        Digest digest = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
        assertThat(Digest.sha256FromRaw(digest.raw())).isEqualTo(digest);
        assertThat(Digest.of("sha512", new byte[0]).hex()).hasSize(128);
    }

    @Test
    void rejectsMalformedDigests() {
        assertThatThrownBy(() -> Digest.parse("sha256")).hasMessageContaining("algorithm:hex");
        assertThatThrownBy(() -> Digest.parse("sha1:" + "0".repeat(40))).hasMessageContaining("unsupported digest algorithm 'sha1'");
        assertThatThrownBy(() -> Digest.parse("sha256:" + "g".repeat(64))).hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> Digest.sha256FromRaw(new byte[31])).hasMessageContaining("32 bytes");
    }
}
