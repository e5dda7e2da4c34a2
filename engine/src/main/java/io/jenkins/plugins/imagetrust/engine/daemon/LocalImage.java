package io.jenkins.plugins.imagetrust.engine.daemon;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image in a Docker daemon's local store, as {@code GET /images/{name}/json} describes it.
 *
 * @param id the image ID ({@code sha256:…} of its config), which is not a registry digest
 * @param repoTags the local tags, as the daemon writes them ({@code alpine:3.20}, {@code reg:5000/app:1})
 * @param repoDigests {@code repository@digest} entries: the manifest digest each repository had when this daemon
 *     last pushed the image there or pulled it from there. Written in docker's familiar form ({@code alpine@sha256:…}
 *     means {@code docker.io/library/alpine@sha256:…}).
 */
public record LocalImage(String id, List<String> repoTags, List<String> repoDigests) {
    public LocalImage {
        Objects.requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /**
     * The digests this image had in {@code image}'s repository (registry and path, normalised the docker way, so
     * {@code alpine}, {@code library/alpine} and {@code docker.io/library/alpine} are one repository), in the daemon's
     * order, without duplicates. Entries that do not parse or name another repository are ignored. Usually one
     * digest; more when the image was pushed or pulled under several manifests (e.g. by index and by platform).
     */
    public List<Digest> digestsFor(ImageReference image) {
        List<Digest> digests = new ArrayList<>();
        for (String entry : repoDigests) {
            ImageReference pushed;
            try {
                pushed = ImageReference.parse(entry);
            } catch (InvalidReferenceException e) {
                continue; // a malformed entry cannot vouch for anything
            }
            if (pushed.sameRepository(image) && pushed.digest().isPresent() && !digests.contains(pushed.digest().get())) {
                digests.add(pushed.digest().get());
            }
        }
        return List.copyOf(digests);
    }
}
