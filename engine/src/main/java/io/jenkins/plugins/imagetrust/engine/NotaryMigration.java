package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.TargetResolution;
import io.jenkins.plugins.imagetrust.engine.notary.TrustedRepository;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Moves a repository off Docker Content Trust: every tag its verified Notary trust data signs (in {@code targets} or
 * {@code targets/releases}) is resolved the way docker resolves it, and that digest is signed in the cosign format
 * through an {@link ImageSigner} (by digest, so a tag that moved in the registry since cannot slip in). One tag's
 * failure does not stop the others; trust data that does not verify stops everything.
 */
public final class NotaryMigration {
    private final NotaryServer notary;
    private final ImageSigner signer;
    private final ProgressListener listener;

    private NotaryMigration(Builder b) {
        this.notary = Objects.requireNonNull(b.notary, "Notary options are required");
        this.signer = Objects.requireNonNull(b.signer, "an ImageSigner is required");
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What happened to one tag. */
    public enum Outcome {
        /** Now signed in the cosign format. */
        MIGRATED,
        /** The signing key had already signed this digest in the cosign format. */
        ALREADY_SIGNED,
        /** Not migrated; {@link MigratedTag#detail()} says why. */
        FAILED
    }

    /**
     * One tag's result.
     *
     * @param tag the Notary tag
     * @param digest the digest Notary signs it to, or null if even that could not be established
     * @param outcome migrated, already signed, or failed
     * @param detail the reason of a failure, else the signature tag written
     */
    public record MigratedTag(String tag, Digest digest, Outcome outcome, String detail) {
        /** {@code tag digest OUTCOME detail}, as the CLI prints it. */
        public String line() {
            return tag + " " + (digest == null ? "-" : digest.toString()) + " " + outcome + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    /**
     * Migrates every signed tag of {@code repository} (a repository reference; a tag or digest in it is ignored).
     *
     * @throws NotaryException if the repository's trust data cannot be fetched or does not verify
     */
    public List<MigratedTag> migrate(ImageReference repository) throws NotaryException {
        ImageReference bare = repository.repositoryOnly();
        TrustedRepository trusted = notary.verifier(listener).verify(NotaryServer.gun(bare));
        List<MigratedTag> results = new ArrayList<>();
        for (String tag : signedTags(trusted)) {
            MigratedTag result = migrateTag(trusted, bare, tag);
            results.add(result);
            if (result.outcome() == Outcome.FAILED) {
                listener.warning("notary-migrate", result.line());
            } else {
                listener.info("notary-migrate", result.line());
            }
        }
        return results;
    }

    /** Tags docker can resolve: those in {@code targets/releases} and in {@code targets}, sorted. */
    static TreeSet<String> signedTags(TrustedRepository trusted) {
        TreeSet<String> tags = new TreeSet<>(trusted.targets().targets().keySet());
        TargetsMetadata releases = trusted.delegations().get(RoleNames.RELEASES);
        if (releases != null) {
            tags.addAll(releases.targets().keySet());
        }
        return tags;
    }

    private MigratedTag migrateTag(TrustedRepository trusted, ImageReference repository, String tag) {
        TargetResolution resolution;
        try {
            resolution = trusted.resolve(tag);
        } catch (NotaryException e) {
            return new MigratedTag(tag, null, Outcome.FAILED, e.getMessage());
        }
        try {
            ImageReference image = repository.withTag(tag).withDigest(resolution.digest());
            SignResult signed = signer.sign(SignRequest.builder(image).build());
            return new MigratedTag(tag, resolution.digest(), signed.alreadyPresent() ? Outcome.ALREADY_SIGNED : Outcome.MIGRATED, signed.signatureTag());
        } catch (Exception e) {
            // Any failure of one tag (registry, key, tag name the registry refuses) is reported and the rest go on.
            return new MigratedTag(tag, resolution.digest(), Outcome.FAILED, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** Builds a {@link NotaryMigration}: the Notary options (root pin!) and the cosign {@link ImageSigner} are required. */
    public static final class Builder {
        private NotaryServer notary;
        private ImageSigner signer;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        public Builder notary(NotaryServer value) {
            this.notary = value;
            return this;
        }

        /** Signs each digest in the cosign format (build it without {@code notary(...)}: the tags are already in Notary). */
        public Builder signer(ImageSigner value) {
            this.signer = value;
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        public NotaryMigration build() {
            return new NotaryMigration(this);
        }
    }
}
