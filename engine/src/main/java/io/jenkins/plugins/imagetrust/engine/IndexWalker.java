package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.ImageIndex;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.ManifestUnknownException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryProtocolException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the manifests under an image index, depth first, nested indexes included (each fetched by digest, so its bytes
 * are checked), buildx attestation manifests left out: they hold provenance and SBOMs, no runtime pulls them to run
 * them, and signing them would cost a signature's requests each. A digest listed twice is listed once. Bounded in
 * depth and count, so a hostile index cannot make signing run away.
 */
final class IndexWalker {
    static final int MAX_DEPTH = 4;
    static final int MAX_MANIFESTS = 256;

    private IndexWalker() {
    }

    /** The manifests under {@code index} (already fetched by digest) in {@code repository}. */
    static List<PlatformManifest> manifestsUnder(RegistryClient registry, ImageReference repository, Manifest index, ProgressListener listener)
            throws RegistryException {
        List<PlatformManifest> out = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        seen.add(index.digest());
        walk(registry, repository, parse(repository, index), 1, seen, out, listener);
        return out;
    }

    private static void walk(RegistryClient registry, ImageReference repository, ImageIndex index, int depth, Set<Digest> seen,
            List<PlatformManifest> out, ProgressListener listener) throws RegistryException {
        for (ImageIndex.Entry entry : index.entries()) {
            if (entry.isAttestation()) {
                listener.debug("index", "not signing " + entry.digest().shortForm() + " of " + index.digest().shortForm()
                        + ": a buildx attestation manifest (" + entry.platformText() + "), which no runtime runs");
                continue;
            }
            if (!seen.add(entry.digest())) {
                continue;
            }
            if (out.size() == MAX_MANIFESTS) {
                throw protocol(repository, "the image index " + index.digest().shortForm() + " lists more than " + MAX_MANIFESTS + " manifests");
            }
            out.add(new PlatformManifest(entry.descriptor(), entry.platform(), index.digest()));
            if (entry.isIndex()) {
                if (depth == MAX_DEPTH) {
                    throw protocol(repository, "image indexes nested more than " + MAX_DEPTH + " deep under " + index.digest().shortForm());
                }
                Manifest nested = registry.fetchManifest(repository, entry.digest().toString())
                        .orElseThrow(() -> new ManifestUnknownException(repository.registry(), repository.repository(), "index", 404, List.of(),
                                "the image index " + index.digest().shortForm() + " lists " + entry.digest() + ", which the registry does not have"));
                walk(registry, repository, parse(repository, nested), depth + 1, seen, out, listener);
            }
        }
    }

    /** Reads an index, a malformed one being the registry's fault (it served it). */
    static ImageIndex parse(ImageReference repository, Manifest index) throws RegistryProtocolException {
        try {
            return ImageIndex.parse(index);
        } catch (MalformedDocumentException e) {
            throw protocol(repository, e.getMessage());
        }
    }

    private static RegistryProtocolException protocol(ImageReference repository, String problem) {
        return new RegistryProtocolException(repository.registry(), repository.repository(), "index", problem);
    }
}
