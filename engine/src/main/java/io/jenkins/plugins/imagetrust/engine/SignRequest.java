package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to sign. The signature always covers a manifest digest, never a tag: the digest in the reference if it has
 * one, else the one the caller expects (e.g. from the Docker daemon that pushed the image), which must equal what
 * the registry's tag names now unless {@link Builder#signRegistryDigest(boolean)} says otherwise.
 */
public final class SignRequest {
    private final ImageReference image;
    private final List<Digest> expectedDigests;
    private final boolean signRegistryDigest;
    private final Map<String, String> annotations;
    private final SignatureFormat signatureFormat;
    private final Set<String> perRunAnnotations;
    private final boolean recursive;
    private final List<Predicate> attestations;
    private final boolean signatures;

    private SignRequest(Builder b) {
        this.image = b.image;
        this.expectedDigests = List.copyOf(b.expectedDigests);
        this.signRegistryDigest = b.signRegistryDigest;
        this.annotations = Map.copyOf(b.annotations);
        this.signatureFormat = b.signatureFormat;
        this.perRunAnnotations = Set.copyOf(b.perRunAnnotations);
        this.recursive = b.recursive;
        this.attestations = List.copyOf(b.attestations);
        this.signatures = b.signatures;
        if (!signatures && attestations.isEmpty()) {
            throw new IllegalArgumentException("a request without signatures must carry at least one attestation");
        }
    }

    public static Builder builder(ImageReference image) {
        return new Builder(image);
    }

    public ImageReference image() {
        return image;
    }

    /** The digests the build is known to have pushed (usually one); empty when unknown. */
    public List<Digest> expectedDigests() {
        return expectedDigests;
    }

    public boolean signRegistryDigest() {
        return signRegistryDigest;
    }

    public Map<String, String> annotations() {
        return annotations;
    }

    /** Which signature format(s) to write; {@link SignatureFormat#BOTH} unless set. */
    public SignatureFormat signatureFormat() {
        return signatureFormat;
    }

    /**
     * Annotation keys that name the run rather than what is vouched for (a build number): an existing signature by the
     * same key that differs only in these is taken as already there, and nothing is added.
     */
    public Set<String> perRunAnnotations() {
        return perRunAnnotations;
    }

    /** Whether an image index is signed together with every manifest it lists; true unless set. */
    public boolean recursive() {
        return recursive;
    }

    /** The predicates to attest about the image, written in the same call as the signatures; empty unless set. */
    public List<Predicate> attestations() {
        return attestations;
    }

    /** Whether the image is signed (true unless set): false only attests ({@code ImageAttester}). */
    public boolean signatures() {
        return signatures;
    }

    /** Builds a {@link SignRequest}. */
    public static final class Builder {
        private final ImageReference image;
        private final List<Digest> expectedDigests = new ArrayList<>();
        private boolean signRegistryDigest;
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private SignatureFormat signatureFormat = SignatureFormat.BOTH;
        private final Set<String> perRunAnnotations = new HashSet<>();
        private boolean recursive = true;
        private final List<Predicate> attestations = new ArrayList<>();
        private boolean signatures = true;

        private Builder(ImageReference image) {
            this.image = Objects.requireNonNull(image);
        }

        /** The digest the caller knows it pushed (null: unknown); signing is refused if the tag now names another. */
        public Builder expectedDigest(Digest value) {
            expectedDigests.clear();
            if (value != null) {
                expectedDigests.add(value);
            }
            return this;
        }

        /**
         * The digests the build pushed for this repository (a daemon may know several, e.g. after pushing twice);
         * the registry's digest must be one of them.
         */
        public Builder expectedDigests(Collection<Digest> values) {
            expectedDigests.clear();
            expectedDigests.addAll(values);
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

        /**
         * Which format(s) to write: the legacy {@code .sig} tag (skopeo, podman, policy-controller), the cosign 3
         * bundle referrer, or both (the default, the only choice every verifier reads).
         */
        public Builder signatureFormat(SignatureFormat value) {
            this.signatureFormat = Objects.requireNonNull(value, "signatureFormat");
            return this;
        }

        /**
         * Annotation keys whose values change with every run of the same build (Jenkins' build number and URL): a
         * re-run that signs the same digest with the same key and otherwise the same annotations adds no signature.
         */
        public Builder perRunAnnotations(Collection<String> keys) {
            perRunAnnotations.clear();
            perRunAnnotations.addAll(keys);
            return this;
        }

        /**
         * When the image is an OCI image index or Docker manifest list, also sign every manifest it lists, nested
         * indexes included (true, the default), or the index alone (false, what {@code cosign sign} does without
         * {@code --recursive}). Runtimes (containers/image, hence podman, CRI-O, skopeo) check the signature of the
         * platform manifest they pull, not of the index, so an index signed alone leaves them nothing to accept.
         * Buildx attestation manifests are never signed: no runtime runs them.
         */
        public Builder recursive(boolean value) {
            this.recursive = value;
            return this;
        }

        /**
         * Predicates to attest about the image in the same call (one settle for everything written): each becomes one
         * in-toto statement, signed once with the signing key and written in every format asked for. Its subjects are the
         * image; for an index signed recursively, the index and every manifest it lists, and the one envelope is stored
         * with each of them (so that a verifier starting from the index or from the platform manifest it pulls finds it).
         */
        public Builder attestations(Collection<Predicate> values) {
            attestations.clear();
            attestations.addAll(values);
            return this;
        }

        /** Whether to sign the image (true, the default) or only write its {@link #attestations}. */
        public Builder signatures(boolean value) {
            this.signatures = value;
            return this;
        }

        public SignRequest build() {
            return new SignRequest(this);
        }
    }
}
