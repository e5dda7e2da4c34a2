package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What to sign into a repository: the tag, the manifest digest and size it must resolve to, the signing key
 * ({@code targetsSigner}: the repository's targets key, or a key of its {@code targets/releases} delegation, in
 * which case the tag is signed into that delegation), and the root key (needed only to initialise a repository that has no trust
 * data yet; when given, it also pins the existing root).
 */
public record PublishRequest(String gun, String tag, Digest digest, long length, Signer targetsSigner, Signer rootSigner) {
    public PublishRequest {
        Objects.requireNonNull(gun, "gun");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(targetsSigner, "targetsSigner");
    }

    public Optional<Signer> root() {
        return Optional.ofNullable(rootSigner);
    }
}
