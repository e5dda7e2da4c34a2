package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.store.DirectoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and trust one Notary v1 server, for the facades ({@code ImageSigner.Builder.notary},
 * {@code NotaryVerifier}, {@code NotaryMigration}): the server URL, its CA (else the JDK trust store), the root key
 * (needed to initialise a repository; when given it also pins the root), how to trust an existing root otherwise
 * ({@link RootPin}), and where trusted roots and versions are kept between runs (else in memory, per instance).
 * The targets key is not here: it is the facade's signing key.
 */
public final class NotaryServer {
    private final String serverUrl;
    private final String caPem;
    private final Signer rootSigner;
    private final RootPin rootPin;
    private final TrustCache cache;
    private final Duration requestTimeout;
    private final Clock clock;
    private final RegistryClient registryAuth;
    private final NotaryClient client;

    private NotaryServer(Builder b) {
        this.serverUrl = Objects.requireNonNull(b.serverUrl, "a Notary server URL is required");
        this.caPem = b.caPem;
        this.rootSigner = b.rootSigner;
        this.rootPin = b.rootPin;
        this.cache = b.trustCacheDirectory != null ? new DirectoryTrustCache(b.trustCacheDirectory) : new InMemoryTrustCache();
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        this.registryAuth = b.registryAuth;
        // Built here, so a bad URL or CA fails early rather than after the cosign signature was stored, and once:
        // every client handed out shares its TLS context and connections.
        this.client = newClient();
    }

    public static Builder builder(String serverUrl) {
        return new Builder(serverUrl);
    }

    /** The Notary name of an image's repository: {@code registry/repository}, as docker names it. */
    public static String gun(ImageReference image) {
        return image.registry() + "/" + image.repository();
    }

    public String serverUrl() {
        return serverUrl;
    }

    public Optional<Signer> rootSigner() {
        return Optional.ofNullable(rootSigner);
    }

    public Clock clock() {
        return clock;
    }

    public TrustCache cache() {
        return cache;
    }

    /** A client for the server, with the configured CA and timeout, reporting to {@code listener}. */
    public NotaryClient client(ProgressListener listener) {
        return client.withListener(listener);
    }

    private NotaryClient newClient() {
        NotaryClient.Builder builder = NotaryClient.builder(serverUrl).requestTimeout(requestTimeout);
        if (caPem != null) {
            builder.trustedCaPem(caPem);
        }
        if (registryAuth != null) {
            builder.authorization(this::registryToken);
        }
        return builder.build();
    }

    /**
     * Answers a Notary server's Bearer challenge like docker: a token for {@code repository:<gun>:<actions>} from the
     * realm it names, with the registry credentials of the gun's registry.
     */
    private Optional<String> registryToken(List<AuthChallenge> challenges, String gun, String actions, boolean refused) throws NotaryException {
        Optional<AuthChallenge> bearer = challenges.stream().filter(AuthChallenge::isBearer).findFirst();
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        String registry = gun.substring(0, gun.indexOf('/'));
        String scope = "repository:" + gun + ":" + actions;
        if (refused) {
            registryAuth.invalidateBearerToken(registry, bearer.get(), scope);
        }
        try {
            return Optional.of("Bearer " + registryAuth.bearerToken(registry, bearer.get(), scope));
        } catch (RegistryException e) {
            throw new NotaryServerException("token for " + scope, "the Notary server asks for a token, which could not be had: " + e.getMessage(), e);
        }
    }

    /**
     * How an existing root is trusted: the explicit pin, else the root key's public half; with neither, only a root
     * already in the trust cache (from an earlier run) is trusted.
     */
    public RootPin effectiveRootPin() {
        if (rootPin != null) {
            return rootPin;
        }
        if (rootSigner != null) {
            return RootPin.rootKey(PublicKeys.toPem(rootSigner.publicKey()));
        }
        return RootPin.cachedOnly();
    }

    /** A verifier over this server with the effective root pin and the shared cache. */
    public TufVerifier verifier(ProgressListener listener) {
        return TufVerifier.builder().fetcher(client(listener)).cache(cache).clock(clock).rootPin(effectiveRootPin()).listener(listener).build();
    }

    /**
     * Signs {@code tag} → {@code digest} (a manifest of {@code length} bytes) into {@code image}'s repository with the
     * targets (or a {@code targets/releases}) key, initialising a repository without trust data with this server's root
     * key: the one call behind both {@code ImageSigner}'s Notary step and {@code image-trust notary publish}.
     */
    public PublishResult publishTag(ImageReference image, String tag, Digest digest, long length, Signer targetsSigner,
            ProgressListener listener) throws NotaryException, KeyException {
        return publisher(listener).publish(new PublishRequest(gun(image), tag, digest, length, targetsSigner, rootSigner));
    }

    /** A publisher over this server; an existing repository's root is pinned as {@link #effectiveRootPin()} says. */
    public NotaryPublisher publisher(ProgressListener listener) {
        return writers(listener).publisher();
    }

    /** Signer delegation on this server, pinned like {@link #publisher}. */
    public NotarySignerDelegation signerDelegation(ProgressListener listener) {
        return writers(listener).signerDelegation();
    }

    /** Key rotation on this server, pinned like {@link #publisher}. */
    public NotaryKeyRotation keyRotation(ProgressListener listener) {
        return writers(listener).keyRotation();
    }

    private NotaryWriters writers(ProgressListener listener) {
        return NotaryWriters.builder().client(client(listener)).cache(cache).clock(clock).listener(listener)
                .existingRootPin(effectiveRootPin()).build();
    }

    @Override
    public String toString() {
        return "NotaryServer[" + serverUrl + (caPem != null ? ", own CA" : "") + (rootSigner != null ? ", root key " + rootSigner.keyId() : "")
                + (rootPin != null ? ", " + rootPin : "") + "]";
    }

    /** Configures {@link NotaryServer}; only the server URL is required. */
    public static final class Builder {
        private final String serverUrl;
        private String caPem;
        private Signer rootSigner;
        private RootPin rootPin;
        private Path trustCacheDirectory;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private RegistryClient registryAuth;

        private Builder(String serverUrl) {
            this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
        }

        /** The PEM CA certificate(s) the server's certificate must chain to; default: the JDK trust store. */
        public Builder caPem(String pem) {
            this.caPem = pem;
            return this;
        }

        /**
         * The repository's root key. Required to initialise a repository that has no trust data; when given, the
         * existing root must list it. It never signs tags: that is the targets key (the facade's signer).
         */
        public Builder rootSigner(Signer signer) {
            this.rootSigner = signer;
            return this;
        }

        /** How to trust a repository's root when the root key is not given (or to pin more strictly). */
        public Builder rootPin(RootPin pin) {
            this.rootPin = pin;
            return this;
        }

        /** Keep trusted roots and last-seen versions here between runs (rollback protection across builds). */
        public Builder trustCacheDirectory(Path directory) {
            this.trustCacheDirectory = directory;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Answer the Notary server's token auth with this registry client's credentials (docker sends its registry
         * login to the Notary server's token realm too). Without it, a server that asks gets no answer (401).
         */
        public Builder registryAuth(RegistryClient registry) {
            this.registryAuth = registry;
            return this;
        }

        public NotaryServer build() {
            return new NotaryServer(this);
        }
    }
}
