package io.jenkins.plugins.imagetrust.engine.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference, parsed and normalised as the docker CLI does ({@code distribution/reference}'s
 * {@code ParseNormalizedNamed}): {@code alpine} is {@code docker.io/library/alpine:latest}, a first path
 * component is a registry only if it holds a dot or a colon or is {@code localhost}, repository paths are
 * lowercase, and a reference may carry a tag, a digest, or both (the digest then names the image).
 */
public final class ImageReference {
    public static final String DOCKER_HUB = "docker.io";
    /** Where Docker Hub's registry API actually answers. */
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final int MAX_NAME_LENGTH = 255;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final String DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern BARE_HEX_ID = Pattern.compile("[a-f0-9]{64}");

    private final String registry;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private ImageReference(String registry, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses and normalises {@code text}; throws {@link InvalidReferenceException} saying what is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidReferenceException(String.valueOf(text), "the reference is empty");
        }
        if (!text.equals(text.strip())) {
            throw new InvalidReferenceException(text, "the reference has leading or trailing white space");
        }
        if (BARE_HEX_ID.matcher(text).matches()) {
            throw new InvalidReferenceException(text, "a 64-digit hex string is an image ID, not a repository name");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (InvalidReferenceException e) {
                throw new InvalidReferenceException(text, e.problem());
            }
            rest = rest.substring(0, at);
        }
        String registry;
        int slash = rest.indexOf('/');
        if (slash < 0 || !looksLikeRegistry(rest.substring(0, slash))) {
            registry = DOCKER_HUB;
        } else {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
            if (!DOMAIN.matcher(registry).matches()) {
                throw new InvalidReferenceException(text, "'" + registry + "' is not a valid registry host[:port]");
            }
            if (registry.equals("index.docker.io")) {
                registry = DOCKER_HUB;
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(text, "'" + tag
                        + "' is not a valid tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidReferenceException(text, "the repository name is empty");
        }
        for (String component : rest.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!component.equals(component.toLowerCase(Locale.ROOT))) {
                    throw new InvalidReferenceException(text, "repository name must be lowercase");
                }
                throw new InvalidReferenceException(text, "'" + component
                        + "' is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
        if (registry.equals(DOCKER_HUB) && rest.indexOf('/') < 0) {
            rest = "library/" + rest;
        }
        if (registry.length() + 1 + rest.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException(text, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** The docker rule: a first component is a registry if it has '.' or ':', is localhost, or has uppercase. */
    private static boolean looksLikeRegistry(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
    }

    /** The registry as written in references: {@code docker.io}, {@code 127.0.0.1:5000}. */
    public String registry() {
        return registry;
    }

    /** The host[:port] that serves the registry API ({@code registry-1.docker.io} for Docker Hub). */
    public String registryApiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
    }

    /** The registry host without its port. */
    public String registryHostName() {
        String host = registryApiHost();
        if (host.startsWith("[")) {
            return host.substring(1, host.indexOf(']'));
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The path inside the registry: {@code library/alpine}. */
    public String repository() {
        return repository;
    }

    /** {@code registry/repository}, the name without tag or digest (cosign's docker-reference). */
    public String name() {
        return registry + "/" + repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** What to ask the registry for: the digest if there is one, else the tag, else {@code latest}. */
    public String manifestReference() {
        if (digest != null) {
            return digest.toString();
        }
        return tag != null ? tag : DEFAULT_TAG;
    }

    /** The tag, or {@code latest} when the reference names neither tag nor digest. */
    public String tagOrDefault() {
        return tag != null ? tag : DEFAULT_TAG;
    }

    /** This repository pinned to {@code newDigest}, keeping the tag for display. */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, Objects.requireNonNull(newDigest));
    }

    /** This repository at {@code newTag}, with no digest. */
    public ImageReference withTag(String newTag) {
        if (!TAG.matcher(newTag).matches()) {
            throw new InvalidReferenceException(newTag, "not a valid tag");
        }
        return new ImageReference(registry, repository, newTag, null);
    }

    /** The bare repository, without tag or digest. */
    public ImageReference repositoryOnly() {
        return new ImageReference(registry, repository, null, null);
    }

    /** {@code registry/repository@digest}; requires a digest. */
    public String pinned() {
        if (digest == null) {
            throw new IllegalStateException(this + " has no digest");
        }
        return name() + "@" + digest;
    }

    /** Whether two references name the same repository on the same registry. */
    public boolean sameRepository(ImageReference other) {
        return registry.equals(other.registry) && repository.equals(other.repository);
    }

    /** The fully qualified form: {@code registry/repository[:tag][@digest]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name());
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageReference)) {
            return false;
        }
        ImageReference r = (ImageReference) o;
        return registry.equals(r.registry) && repository.equals(r.repository) && Objects.equals(tag, r.tag)
                && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
