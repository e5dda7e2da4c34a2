package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the writers of one Notary server's trust data share: the client, the trust cache and clock, how an existing
 * repository's root is trusted when no root key is given, and the listener; and the key checks each makes before it
 * signs anything. Hands out the {@link NotaryPublisher} (publish, revoke), the {@link NotarySignerDelegation} and the
 * {@link NotaryKeyRotation}.
 */
public final class NotaryWriters {
    final NotaryClient client;
    final Clock clock;
    final TrustCache cache;
    final ProgressListener listener;
    private final RootPin existingRootPin;

    private NotaryWriters(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "a Notary client is required");
        this.clock = builder.clock;
        this.cache = builder.cache;
        this.existingRootPin = builder.existingRootPin;
        this.listener = builder.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Publishes and revokes tags. */
    public NotaryPublisher publisher() {
        return new NotaryPublisher(this);
    }

    /** Adds signers and delegates {@code targets/releases}. */
    public NotarySignerDelegation signerDelegation() {
        return new NotarySignerDelegation(this);
    }

    /** Rotates the root, targets and delegation keys. */
    public NotaryKeyRotation keyRotation() {
        return new NotaryKeyRotation(this);
    }

    RootPin pinFor(Optional<Signer> rootSigner) {
        if (rootSigner.isPresent()) {
            return RootPin.rootKey(PublicKeys.toPem(rootSigner.get().publicKey()));
        }
        if (existingRootPin == null) {
            throw new IllegalStateException("publishing to an existing repository without its root key needs a root pin (Builder.existingRootPin)");
        }
        return existingRootPin;
    }

    TufVerifier verifier(RootPin pin) {
        return verifier(pin, client);
    }

    TufVerifier verifier(RootPin pin, MetadataFetcher fetcher) {
        return TufVerifier.builder().fetcher(fetcher).cache(cache).clock(clock).rootPin(pin).listener(listener).build();
    }

    static TargetsMetadata metadataOf(TrustedRepository repository, String role) {
        return RoleNames.TARGETS.equals(role) ? repository.targets() : repository.delegations().get(role);
    }

    static void requireTargetsKey(TrustedRepository current, Signer signer) throws NotaryException {
        String signerKeyId = keyId(signer);
        if (!current.root().role(RoleNames.TARGETS).keyIds().contains(signerKeyId)) {
            throw new NotaryException("the given key " + signerKeyId + " is not a targets key of " + current.gun()
                    + " (root lists " + current.root().role(RoleNames.TARGETS).keyIds() + ")");
        }
    }

    static boolean isRootKey(TrustedRepository repository, Signer signer) {
        try {
            rootKeyIdOf(repository, signer);
            return true;
        } catch (NotaryException e) {
            return false;
        }
    }

    /** The id under which root lists {@code rootSigner}'s key (its certificate's), checked before anything is signed. */
    static String rootKeyIdOf(TrustedRepository current, Signer rootSigner) throws NotaryException {
        byte[] encoded = rootSigner.publicKey().getEncoded();
        for (String id : current.root().role(RoleNames.ROOT).keyIds()) {
            TufKey listed = current.root().keys().get(id);
            if (listed != null && MessageDigest.isEqual(listed.publicKey().getEncoded(), encoded)) {
                return id;
            }
        }
        throw new NotaryException("the given root key " + keyId(rootSigner) + " is not a root key of " + current.gun());
    }

    static String keyId(Signer signer) throws MalformedMetadataException {
        return TufKey.forPublicKey(signer.publicKey()).id();
    }

    /** Configures a {@link NotaryWriters}. */
    public static final class Builder {
        private NotaryClient client;
        private Clock clock = Clock.systemUTC();
        private TrustCache cache = new InMemoryTrustCache();
        private RootPin existingRootPin;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        public Builder client(NotaryClient client) {
            this.client = client;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder cache(TrustCache cache) {
            this.cache = Objects.requireNonNull(cache);
            return this;
        }

        /** How to trust an existing repository's root when the request carries no root key. */
        public Builder existingRootPin(RootPin pin) {
            this.existingRootPin = pin;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public NotaryWriters build() {
            return new NotaryWriters(this);
        }
    }
}
