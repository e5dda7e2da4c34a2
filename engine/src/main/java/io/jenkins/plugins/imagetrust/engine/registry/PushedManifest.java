package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a manifest push stored.
 *
 * @param digest the digest of the pushed bytes (the registry's {@code Docker-Content-Digest} agreed, or was absent)
 * @param subject the registry's {@code OCI-Subject} answer: the subject it indexed for the referrers API; empty when
 *        the registry has no referrers API (or the manifest has no subject)
 */
public record PushedManifest(Digest digest, Optional<Digest> subject) {
    /** The response header by which a registry with the referrers API acknowledges a manifest's {@code subject}. */
    public static final String OCI_SUBJECT_HEADER = "OCI-Subject";

    public PushedManifest {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(subject, "subject");
    }
}
