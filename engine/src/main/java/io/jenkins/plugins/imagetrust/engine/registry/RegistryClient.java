package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * The OCI distribution client. Every method names the repository through an {@link ImageReference}
 * (its registry and repository; tag and digest are ignored unless said otherwise).
 * CONTRACT SKETCH: the implementation is being written; signatures here are the agreed API.
 */
public final class RegistryClient {

    /** HEAD (falling back to GET + hash) the manifest {@code image} names; its digest if it has one, else its tag. */
    public Descriptor resolve(ImageReference image) throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** GET a manifest by tag or digest; empty when the registry says it does not exist. Digest-checked when by digest. */
    public Optional<Manifest> fetchManifest(ImageReference repository, String tagOrDigest) throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** GET a blob, reading at most {@code maxBytes}, and check it hashes to {@code digest}. */
    public byte[] fetchBlob(ImageReference repository, Digest digest, long maxBytes) throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Upload a blob unless the registry already has it; returns its digest. */
    public Digest pushBlob(ImageReference repository, byte[] content) throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** PUT the exact manifest bytes under a tag or digest; returns their digest. */
    public Digest pushManifest(ImageReference repository, String tagOrDigest, byte[] manifest, String mediaType)
            throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Every tag of the repository, following pagination. */
    public List<String> listTags(ImageReference repository) throws RegistryException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
