package io.jenkins.plugins.imagetrust;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;

/** Puts small real images into a test registry and holds the real cosign test key pair (interop fixtures). */
public final class TestImages {
    /** Passphrase of the interop cosign keys (test-only keys, published on purpose). */
    public static final String KEY_PASSPHRASE = "sigstore-pass";

    private TestImages() {}

    /** The encrypted cosign private key that made the interop signatures. */
    public static String privateKeyPem() {
        return InteropFixtures.text("cosign/signing-key.cosign.key");
    }

    /** Its public key. */
    public static String publicKeyPem() {
        return InteropFixtures.text("cosign/signing-key.pub");
    }

    /** Another key pair's public key, trusted by nobody in these tests unless said so. */
    public static String otherPublicKeyPem() {
        return InteropFixtures.text("cosign/skopeo-generated.pub");
    }

    /**
     * Pushes a one-layer OCI image whose layer holds {@code content} under {@code image}'s tag, through the engine's
     * registry client; returns the manifest digest.
     */
    public static Digest push(ImageReference image, String content) throws Exception {
        RegistryClient registry = RegistryClient.builder().build();
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = registry.pushBlob(image, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + layerDigest + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.pushBlob(image, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + config.length + "},"
                        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                        + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return registry.pushManifest(image, image.tagOrDefault(), manifest, MediaTypes.OCI_MANIFEST);
    }
}
