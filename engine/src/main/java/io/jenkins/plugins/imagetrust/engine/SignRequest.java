package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to sign. The signature always covers a manifest digest, never a tag: the digest in the reference if it has
 * one, else the one the caller expects (e.g. from the Docker daemon that pushed the image), which must equal what
 * the registry's tag names now unless {@link Builder#signRegistryDigest(boolean)} says otherwise.
 */
public final class SignRequest {
    private final ImageReference image;
    private final Digest expectedDigest;
    private final boolean signRegistryDigest;
    private final Map<String, String> annotations;

    private SignRequest(Builder b) {
        this.image = b.image;
        this.expectedDigest = b.expectedDigest;
        this.signRegistryDigest = b.signRegistryDigest;
        this.annotations = Map.copyOf(b.annotations);
    }

    public static Builder builder(ImageReference image) {
        return new Builder(image);
    }

    public ImageReference image() {
        return image;
    }

    public Optional<Digest> expectedDigest() {
        return Optional.ofNullable(expectedDigest);
    }

    public boolean signRegistryDigest() {
        return signRegistryDigest;
    }

    public Map<String, String> annotations() {
        return annotations;
    }

    /** Builds a {@link SignRequest}. */
    public static final class Builder {
        private final ImageReference image;
        private Digest expectedDigest;
        private boolean signRegistryDigest;
        private final Map<String, String> annotations = new LinkedHashMap<>();

        private Builder(ImageReference image) {
            this.image = Objects.requireNonNull(image);
        }

        /** The digest the caller knows it pushed; signing is refused if the tag now names another. */
        public Builder expectedDigest(Digest value) {
            this.expectedDigest = value;
            return this;
        }

        /** When the tag moved away from the expected digest, sign what the registry has now instead of refusing. */
        public Builder signRegistryDigest(boolean value) {
            this.signRegistryDigest = value;
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder annotations(Map<String, String> values) {
            values.forEach(this::annotation);
            return this;
        }

        public SignRequest build() {
            return new SignRequest(this);
        }
    }
}
