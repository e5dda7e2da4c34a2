package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;

/**
 * What the registry says an image reference points to now. {@code RegistryClient::resolve} is one;
 * {@link DockerDaemon#registryLookup(DaemonRegistryAuth)} (the registry as the daemon sees it) is another.
 */
@FunctionalInterface
public interface RegistryDigestLookup {
    /** The descriptor of the manifest {@code image} names (its digest if it has one, else its tag). */
    Descriptor resolve(ImageReference image) throws RegistryException;
}
