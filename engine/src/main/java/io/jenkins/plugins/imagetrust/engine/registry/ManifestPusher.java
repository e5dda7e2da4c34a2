package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT /v2/<name>/manifests/<ref>} with the exact bytes and their media type as {@code Content-Type}.
 * Idempotent: the same bytes under the same reference give the same result. A {@code Docker-Content-Digest}
 * answer that differs from the bytes' digest is refused (the registry stored something else). The
 * {@code OCI-Subject} answer (a registry with the referrers API indexed the manifest's subject) is reported. With an
 * entity tag the PUT is conditional ({@code If-Match}, RFC 9110 §13.1.1): a registry that honours it answers 412 when
 * the tag changed since it was read ({@link ManifestConflictException}); one that ignores the header stores as usual.
 */
final class ManifestPusher implements RegistryEndpoint<PushedManifest> {
    private final String repository;
    private final String reference;
    private final byte[] bytes;
    private final String mediaType;
    private final Digest digest;
    private final String ifMatch;

    ManifestPusher(String repository, String reference, byte[] bytes, String mediaType) {
        this(repository, reference, bytes, mediaType, null);
    }

    ManifestPusher(String repository, String reference, byte[] bytes, String mediaType, String ifMatch) {
        this.ifMatch = ifMatch;
        this.repository = repository;
        this.reference = reference;
        this.bytes = bytes.clone();
        this.mediaType = mediaType;
        this.digest = Digest.sha256(this.bytes);
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public URI uri(URI apiBase) {
        return RegistryPaths.manifest(apiBase, repository, reference);
    }

    @Override
    public Map<String, String> headers() {
        return ifMatch == null ? Map.of("Content-Type", mediaType) : Map.of("Content-Type", mediaType, "If-Match", ifMatch);
    }

    @Override
    public byte[] body() {
        return bytes;
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public PushedManifest handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 412 && ifMatch != null) {
            throw context.conflict(response, reference);
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw context.unexpected(response, "the registry did not store manifest " + reference);
        }
        String header = response.header("Docker-Content-Digest").orElse(null);
        if (header != null) {
            Digest stored = context.parseDigestHeader(header);
            if (!stored.equals(digest) && stored.algorithm().equals(digest.algorithm())) {
                throw context.mismatch(digest, stored, "the manifest the registry stored");
            }
        }
        Optional<Digest> subject = Optional.empty();
        String subjectHeader = response.header(PushedManifest.OCI_SUBJECT_HEADER).orElse(null);
        if (subjectHeader != null && !subjectHeader.isBlank()) {
            try {
                subject = Optional.of(Digest.parse(subjectHeader.strip()));
            } catch (RuntimeException e) {
                throw context.protocol("malformed " + PushedManifest.OCI_SUBJECT_HEADER + " header: " + ErrorBodies.printable(subjectHeader, 100));
            }
        }
        return new PushedManifest(digest, subject);
    }
}
