package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest an image index lists (directly, or through a nested index): what signing an index also signs, and
 * what {@code requireAllPlatforms} also verifies.
 *
 * @param descriptor the manifest's media type, digest and size, as the listing index states them
 * @param platform the platform the listing index states, or null when it states none
 * @param parent the digest of the index that lists it
 */
public record PlatformManifest(Descriptor descriptor, Platform platform, Digest parent) {
    public PlatformManifest {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(parent, "parent");
    }

    public Digest digest() {
        return descriptor.digest();
    }

    public Optional<Platform> platformIfStated() {
        return Optional.ofNullable(platform);
    }

    /** {@code linux/arm64}, {@code unknown} when the index states no platform. */
    public String platformText() {
        return platform == null ? "unknown" : platform.toString();
    }
}
