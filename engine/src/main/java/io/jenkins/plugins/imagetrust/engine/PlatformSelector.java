package io.jenkins.plugins.imagetrust.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.ManifestUnknownException;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.Platform;
import io.jenkins.plugins.imagetrust.engine.registry.PlatformNotFoundException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the manifest a runtime on a given platform would pull: from an image index, the listed manifest for that
 * platform (nested indexes searched too, attestation manifests never chosen); a single image manifest is its own
 * answer when its config names that platform. No match, or two different manifests for one platform, is an error.
 */
final class PlatformSelector {
    /** Image configs hold history and environment; far beyond this is not an image config. */
    private static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;
    private static final ObjectMapper JSON = JsonMappers.lenient();

    private PlatformSelector() {
    }

    /** The manifest of {@code image} (resolved to {@code resolved}) for {@code platform}. */
    static PlatformManifest select(RegistryClient registry, ImageReference image, Descriptor resolved, Platform platform,
            ProgressListener listener) throws RegistryException {
        ImageReference repository = image.repositoryOnly();
        Manifest manifest = registry.fetchManifest(repository, resolved.digest().toString())
                .orElseThrow(() -> new ManifestUnknownException(image.registry(), image.repository(), "select-platform", 404, List.of(),
                        "no manifest " + resolved.digest()));
        if (!MediaTypes.isIndex(manifest.mediaType())) {
            Platform own = configPlatform(registry, repository, manifest);
            if (!platform.matches(own)) {
                throw new PlatformNotFoundException(image.registry(), image.repository(), image + " is a single-platform image for " + own
                        + ", not " + platform, List.of(own.toString()));
            }
            return new PlatformManifest(manifest.descriptor(), own, manifest.digest());
        }
        List<PlatformManifest> listed = IndexWalker.manifestsUnder(registry, repository, manifest, listener);
        List<PlatformManifest> matching = new ArrayList<>();
        Set<String> available = new LinkedHashSet<>();
        for (PlatformManifest candidate : listed) {
            if (candidate.platform() == null || MediaTypes.isIndex(candidate.descriptor().mediaType())) {
                continue;
            }
            available.add(candidate.platformText());
            if (platform.matches(candidate.platform())) {
                matching.add(candidate);
            }
        }
        if (matching.isEmpty()) {
            throw new PlatformNotFoundException(image.registry(), image.repository(), image + " (image index " + resolved.digest().shortForm()
                    + ") has no manifest for " + platform + "; it has " + (available.isEmpty() ? "none with a platform" : String.join(", ", available)),
                    List.copyOf(available));
        }
        Set<Digest> distinct = new LinkedHashSet<>();
        matching.forEach(match -> distinct.add(match.digest()));
        if (distinct.size() > 1) {
            List<String> choices = new ArrayList<>();
            matching.forEach(match -> choices.add(match.platformText() + " " + match.digest().shortForm()));
            throw new PlatformNotFoundException(image.registry(), image.repository(), image + " lists several manifests for " + platform + " ("
                    + String.join(", ", choices) + "); name the variant, e.g. " + matching.get(0).platformText(), List.copyOf(available));
        }
        PlatformManifest chosen = matching.get(0);
        listener.info("resolve", image + " for " + platform + " is " + chosen.digest() + " (" + chosen.platformText() + ", listed in "
                + chosen.parent().shortForm() + ")");
        return chosen;
    }

    /** The platform a single image manifest's config (fetched by digest, capped) states. */
    private static Platform configPlatform(RegistryClient registry, ImageReference repository, Manifest manifest) throws RegistryException {
        try {
            JsonNode root = JSON.readTree(manifest.bytes());
            Digest config = Digest.parse(root.path("config").path("digest").asText(""));
            JsonNode node = JSON.readTree(registry.fetchBlob(repository, config, MAX_CONFIG_BYTES));
            String os = node.path("os").asText("");
            String architecture = node.path("architecture").asText("");
            if (os.isEmpty() || architecture.isEmpty()) {
                throw new IllegalArgumentException("its config states no os or architecture");
            }
            return new Platform(os, architecture, node.path("variant").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw new RegistryProtocolException(repository.registry(), repository.repository(), "select-platform",
                    "the platform of " + manifest.digest().shortForm() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
