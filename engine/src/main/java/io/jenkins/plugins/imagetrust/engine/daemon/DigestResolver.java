package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Finds the digest to sign for an image from the registry and, when configured, from the Docker daemon that pushed
 * it, and makes a difference between the two visible (a {@code tag moved} warning; {@link ResolvedDigest#toSign}
 * refuses it). Why two sources: {@code docs/digests.md}.
 *
 * <pre>{@code
 * DigestResolver resolver = DigestResolver.builder(registryClient::resolve).daemon(dockerDaemon).listener(listener).build();
 * Digest toSign = resolver.resolve(ImageReference.parse("reg/app:1.0")).toSign(List.of(), false, listener);
 * }</pre>
 */
public final class DigestResolver {
    private final RegistryDigestLookup registry;
    private final DockerDaemon daemon;
    private final ProgressListener listener;

    private DigestResolver(Builder builder) {
        this.registry = builder.registry;
        this.daemon = builder.daemon;
        this.listener = builder.listener;
    }

    /** @param registry what the registry serves now, e.g. {@code registryClient::resolve} */
    public static Builder builder(RegistryDigestLookup registry) {
        return new Builder(registry);
    }

    /**
     * Asks the registry, then the daemon (if any), for {@code image}'s digest.
     *
     * @throws RegistryException when the registry lookup fails (e.g. no such tag), or answers with another digest
     *     than the one {@code image} pins
     * @throws DaemonNotFoundException when a daemon is configured and has no such local image
     * @throws DaemonException when the daemon cannot be asked
     */
    public ResolvedDigest resolve(ImageReference image) throws RegistryException, DaemonException {
        Objects.requireNonNull(image, "image");
        Descriptor descriptor = registry.resolve(image);
        if (descriptor == null) {
            throw new RegistryException(image.registry(), image.repository(), "resolve", "the registry lookup returned nothing for " + image);
        }
        if (image.digest().isPresent() && !image.digest().get().equals(descriptor.digest())) {
            throw new RegistryException(image.registry(), image.repository(), "resolve", "asked for " + image.digest().get()
                    + " but the registry lookup answered " + descriptor.digest());
        }
        listener.info("resolve", image + " is " + descriptor.digest() + " in the registry");
        if (daemon == null) {
            return new ResolvedDigest(image, descriptor, List.of(), null);
        }
        List<Digest> daemonDigests = daemon.inspectImage(image).digestsFor(image);
        ResolvedDigest resolved = new ResolvedDigest(image, descriptor, daemonDigests, daemon.endpoint());
        report(resolved);
        return resolved;
    }

    private void report(ResolvedDigest resolved) {
        ImageReference image = resolved.image();
        if (resolved.daemonDigests().isEmpty()) {
            listener.warning("daemon-digest", "digest from daemon: the Docker daemon at " + daemon.endpoint() + " has " + image
                    + " but no digest for " + image.name() + "; it was not pushed from this daemon");
        } else if (resolved.agree()) {
            listener.info("daemon-digest", "digest from daemon: " + image + " was pushed as " + resolved.registryDigest()
                    + ", the digest the registry serves");
        } else {
            String pushed = resolved.daemonDigests().stream().map(Digest::toString).collect(Collectors.joining(" or "));
            listener.info("daemon-digest", "digest from daemon: " + image + " was pushed as " + pushed);
            listener.warning("tag-moved", "tag moved: the registry now serves " + resolved.registryDigest() + " for " + image
                    + ", not " + pushed + " which the Docker daemon at " + daemon.endpoint() + " pushed");
        }
    }

    /** Configures a {@link DigestResolver}. */
    public static final class Builder {
        private final RegistryDigestLookup registry;
        private DockerDaemon daemon;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder(RegistryDigestLookup registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The daemon that pushed the image; {@code null} (the default) to ask only the registry. */
        public Builder daemon(DockerDaemon daemon) {
            this.daemon = daemon;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public DigestResolver build() {
            return new DigestResolver(this);
        }
    }
}
