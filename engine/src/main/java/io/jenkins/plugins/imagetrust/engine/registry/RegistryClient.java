package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.HostPolicy;
import io.jenkins.plugins.imagetrust.engine.http.HttpClients;
import io.jenkins.plugins.imagetrust.engine.http.HttpTransport;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentialsProvider;
import io.jenkins.plugins.imagetrust.engine.registry.auth.TokenCache;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI distribution client. Every method names the repository through an {@link ImageReference} (its registry
 * and repository; tag and digest are ignored unless said otherwise). Thread-safe; build one per job with
 * {@link #builder()}.
 *
 * <p>What it guarantees: bytes fetched by digest hash to it (else {@link DigestMismatchException}); every body read
 * is capped ({@link SizeLimitExceededException}); every exchange has a deadline covering headers and body
 * ({@link RegistryTimeoutException}); 429/502/503/504 and failed connections are retried with backoff on idempotent
 * calls ({@link RegistryUnavailableException} when they run out); plain HTTP only for loopback and listed insecure
 * registries; no credential or token in any message. See {@code docs/registry.md}.
 */
public final class RegistryClient {
    /** The default cap on a manifest: the distribution registry's own limit. */
    public static final long DEFAULT_MAX_MANIFEST_BYTES = 4L * 1024 * 1024;
    private static final int MAX_TAG_PAGES = 10_000;

    private final HostPolicy hosts;
    private final RegistryEndpointCaller caller;
    private final ProgressListener listener;
    private final long maxManifestBytes;
    private final int tagPageSize;
    private final Authenticator authenticator;

    private RegistryClient(Builder builder) {
        this.hosts = new HostPolicy(builder.insecureRegistries);
        this.listener = builder.listener;
        this.maxManifestBytes = builder.maxManifestBytes;
        this.tagPageSize = builder.tagPageSize;
        HttpClients http = builder.httpClient != null ? HttpClients.shared(builder.httpClient)
                : HttpClients.byScheme(builder.connectTimeout);
        HttpTransport transport = new HttpTransport(http, hosts, builder.requestTimeout, HttpTransport.MAX_REDIRECTS, listener);
        RetryPolicy retryPolicy = new RetryPolicy(builder.retries, builder.initialBackoff, builder.maxBackoff,
                builder.sleeper, builder.clock, listener);
        this.authenticator = new Authenticator(builder.credentials, new TokenCache(builder.clock),
                new TokenFetcher(transport, retryPolicy));
        this.caller = new RegistryEndpointCaller(transport, authenticator, retryPolicy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A bearer token for {@code scope} from the token server a {@code Bearer} challenge names, fetched with this
     * client's credentials for {@code registry}: how docker authenticates to a Notary server that sits behind the
     * registry's token auth. Cached until it expires; the same realm rules apply (no plain HTTP off loopback or
     * the insecure list).
     */
    public String bearerToken(String registry, AuthChallenge challenge, String scope) throws RegistryException {
        return authenticator.bearerToken(registry, challenge, scope, new CallContext(registry, null, "token for " + scope));
    }

    /** Forgets a token from {@link #bearerToken} that the service refused, so that the next call fetches a fresh one. */
    public void invalidateBearerToken(String registry, AuthChallenge challenge, String scope) {
        authenticator.invalidateBearerToken(registry, challenge, scope);
    }

    /** {@code GET /v2/}: the registry answers the distribution API and accepts the configured credentials. */
    public void ping(ImageReference registry) throws RegistryException {
        caller.call(Target.registryOnly(registry, hosts.baseUri(registry)), "ping", new ApiPing());
    }

    /** HEAD (falling back to GET + hash) the manifest {@code image} names; its digest if it has one, else its tag. */
    public Descriptor resolve(ImageReference image) throws RegistryException {
        Target target = pullTarget(image);
        String reference = image.manifestReference();
        Optional<Descriptor> head = caller.call(target, "resolve", new ManifestChecker(image.repository(), reference));
        Descriptor descriptor;
        if (head.isPresent()) {
            descriptor = head.get();
        } else {
            listener.debug("resolve", "the registry did not report digest, type and size on HEAD " + image
                    + "; fetching the manifest to hash it");
            descriptor = pullManifest(target, "resolve", reference)
                    .orElseThrow(() -> new ManifestUnknownException(image.registry(), image.repository(), "resolve", 404,
                            List.of(), "no manifest " + reference))
                    .descriptor();
        }
        if (image.digest().isPresent() && !image.digest().get().equals(descriptor.digest())) {
            throw new DigestMismatchException(image.registry(), image.repository(), "resolve", image.digest().get(),
                    descriptor.digest(), "the manifest the registry reported");
        }
        listener.debug("resolve", image + " is " + descriptor.digest() + " (" + descriptor.mediaType() + ")");
        return descriptor;
    }

    /**
     * GET a manifest by tag or digest; empty when the registry says it does not exist. Digest-checked when by digest.
     *
     * @throws io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException when {@code tagOrDigest} is
     *         neither a valid tag nor a valid digest
     */
    public Optional<Manifest> fetchManifest(ImageReference repository, String tagOrDigest) throws RegistryException {
        checkReference(repository, tagOrDigest);
        return pullManifest(pullTarget(repository), "fetch-manifest", tagOrDigest);
    }

    /** GET a blob, reading at most {@code maxBytes}, and check it hashes to {@code digest}. */
    public byte[] fetchBlob(ImageReference repository, Digest digest, long maxBytes) throws RegistryException {
        Objects.requireNonNull(digest, "digest");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        return caller.call(pullTarget(repository), "fetch-blob", new BlobPuller(repository.repository(), digest, maxBytes));
    }

    /**
     * Upload a blob unless the registry already has it; returns its digest. The upload (POST a session, PUT the
     * bytes) is retried as a whole with a fresh session, because a session may be consumed by a half-failed PUT.
     */
    public Digest pushBlob(ImageReference repository, byte[] content) throws RegistryException {
        Objects.requireNonNull(content, "content");
        Digest digest = Digest.sha256(content);
        Target target = pushTarget(repository);
        if (caller.call(target, "push-blob", new BlobChecker(repository.repository(), digest))) {
            listener.debug("push-blob", digest.shortForm() + " is already in " + repository.name() + "; not uploading");
            return digest;
        }
        CallContext context = target.context("push-blob");
        Digest pushed = caller.retryPolicy().run(context, () -> {
            URI session = caller.callOnce(target, context, new BlobUploadStarter(repository.repository()));
            return caller.callOnce(target, context, new BlobUploadFinisher(session, digest, content));
        });
        listener.debug("push-blob", "uploaded " + digest.shortForm() + " (" + content.length + " bytes) to " + repository.name());
        return pushed;
    }

    /** PUT the exact manifest bytes under a tag or digest; returns their digest. */
    public Digest pushManifest(ImageReference repository, String tagOrDigest, byte[] manifest, String mediaType)
            throws RegistryException {
        return pushManifestReportingSubject(repository, tagOrDigest, manifest, mediaType).digest();
    }

    /**
     * {@link #pushManifest}, also reporting the registry's {@code OCI-Subject} answer: present when a registry with
     * the referrers API indexed the pushed manifest's {@code subject}; absent means the pusher must maintain the
     * referrers fallback tag itself.
     */
    public PushedManifest pushManifestReportingSubject(ImageReference repository, String tagOrDigest, byte[] manifest, String mediaType)
            throws RegistryException {
        return pushManifest(repository, tagOrDigest, manifest, mediaType, Optional.empty());
    }

    /**
     * {@link #pushManifestReportingSubject}, conditional on the tag still holding what was read when {@code ifMatch}
     * (the {@link Manifest#entityTag()} read) is present.
     *
     * @throws ManifestConflictException when the registry honours {@code If-Match} and the tag has changed since
     */
    public PushedManifest pushManifest(ImageReference repository, String tagOrDigest, byte[] manifest, String mediaType,
            Optional<String> ifMatch) throws RegistryException {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(mediaType, "mediaType");
        Optional<Digest> named = checkReference(repository, tagOrDigest);
        Digest digest = Digest.sha256(manifest);
        if (named.isPresent() && !named.get().equals(Digest.of(named.get().algorithm(), manifest))) {
            throw new IllegalArgumentException("the manifest bytes have digest " + digest + ", not " + named.get());
        }
        if (manifest.length > maxManifestBytes) {
            throw new SizeLimitExceededException(repository.registry(), repository.repository(), "push-manifest",
                    maxManifestBytes, "the manifest to push");
        }
        PushedManifest pushed = caller.call(pushTarget(repository), "push-manifest",
                new ManifestPusher(repository.repository(), tagOrDigest, manifest, mediaType, ifMatch.orElse(null)));
        listener.debug("push-manifest", "pushed " + repository.name() + ":" + tagOrDigest + " as " + pushed.digest()
                + pushed.subject().map(s -> " (the registry indexed its subject " + s.shortForm() + ")").orElse(""));
        return pushed;
    }

    /**
     * The digest {@code tag} now resolves to, empty when the tag does not exist: a HEAD, falling back to GET + hash
     * when the registry does not report the digest. Cheaper than {@link #fetchManifest} for "has the tag moved?".
     */
    public Optional<Digest> tagDigest(ImageReference repository, String tag) throws RegistryException {
        checkReference(repository, tag);
        Target target = pullTarget(repository);
        try {
            Optional<Descriptor> head = caller.call(target, "check-tag", new ManifestChecker(repository.repository(), tag));
            if (head.isPresent()) {
                return Optional.of(head.get().digest());
            }
        } catch (ManifestUnknownException e) {
            return Optional.empty();
        }
        return pullManifest(target, "check-tag", tag).map(Manifest::digest);
    }

    /**
     * The OCI image index of the manifests whose {@code subject} is {@code subject}: from the referrers API, or, where
     * the registry has none (404), from the fallback tag {@code <alg>-<hex>} (see {@link #referrersFallbackTag}).
     * Empty when neither exists. The API's index is not digest-checked (the registry generates it), the fallback
     * tag's is checked like any manifest; neither is filtered, callers select entries themselves.
     */
    public Optional<Manifest> fetchReferrers(ImageReference repository, Digest subject) throws RegistryException {
        Objects.requireNonNull(subject, "subject");
        Target target = pullTarget(repository);
        Optional<Manifest> index = caller.call(target, "fetch-referrers",
                new ReferrersPuller(repository.repository(), subject, maxManifestBytes));
        if (index.isPresent()) {
            return index;
        }
        String tag = referrersFallbackTag(subject);
        listener.debug("fetch-referrers", repository.name() + " has no referrers API; reading the fallback tag " + tag);
        return pullManifest(target, "fetch-referrers", tag);
    }

    /** The referrers fallback tag: {@code <alg>-<hex>}, the algorithm cut to 32 characters and the hex to 64. */
    public static String referrersFallbackTag(Digest subject) {
        String algorithm = subject.algorithm().length() > 32 ? subject.algorithm().substring(0, 32) : subject.algorithm();
        String hex = subject.hex().length() > 64 ? subject.hex().substring(0, 64) : subject.hex();
        return algorithm + "-" + hex;
    }

    /** Every tag of the repository, following pagination; empty when the repository does not exist. */
    public List<String> listTags(ImageReference repository) throws RegistryException {
        Target target = pullTarget(repository);
        CallContext context = target.context("list-tags");
        List<String> tags = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI page = RegistryPaths.tags(target.base(), repository.repository(), tagPageSize);
        for (int pages = 0; ; pages++) {
            if (pages == MAX_TAG_PAGES) {
                throw context.protocol("the tag list has more than " + MAX_TAG_PAGES + " pages");
            }
            if (!seen.add(page)) {
                throw context.protocol("the tag list's pagination loops");
            }
            if (!HostPolicy.sameOrigin(page, target.base())) {
                throw context.protocol("the tag list's next page is on another origin: " + HttpTransport.origin(page));
            }
            TagLister.Page result = caller.call(target, "list-tags", new TagLister(page, maxManifestBytes));
            tags.addAll(result.tags());
            if (result.next().isEmpty()) {
                return tags;
            }
            page = result.next().get();
        }
    }

    private Optional<Manifest> pullManifest(Target target, String operation, String reference) throws RegistryException {
        Digest expected = reference.indexOf(':') >= 0 ? Digest.parse(reference) : null;
        return caller.call(target, operation, new ManifestPuller(target.repository(), reference, expected, maxManifestBytes));
    }

    /** Validates a tag or digest (throwing InvalidReferenceException); the digest when it is one. */
    private static Optional<Digest> checkReference(ImageReference repository, String tagOrDigest) {
        Objects.requireNonNull(tagOrDigest, "tagOrDigest");
        if (tagOrDigest.indexOf(':') >= 0) {
            return Optional.of(Digest.parse(tagOrDigest));
        }
        repository.withTag(tagOrDigest);
        return Optional.empty();
    }

    private Target pullTarget(ImageReference image) {
        return Target.of(image, hosts.baseUri(image), false);
    }

    /** Pushing operations ask for {@code pull,push} up front, so no request re-challenges mid-operation. */
    private Target pushTarget(ImageReference image) {
        return Target.of(image, hosts.baseUri(image), true);
    }

    /** Configures a {@link RegistryClient}; every setting has a safe default. */
    public static final class Builder {
        private RegistryCredentialsProvider credentials = RegistryCredentialsProvider.anonymous();
        private Set<String> insecureRegistries = Set.of();
        private ProgressListener listener = ProgressListener.NONE;
        private long maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int retries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private HttpClient httpClient;
        private int tagPageSize = 100;

        private Builder() {
        }

        /** Where credentials come from (default anonymous): {@code RegistryCredentials.basic(…)}, {@code DockerConfig.load(…)}. */
        public Builder credentials(RegistryCredentialsProvider provider) {
            this.credentials = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** {@code host[:port]} of registries spoken to over plain HTTP; loopback registries always are. */
        public Builder insecureRegistries(Set<String> hostPorts) {
            this.insecureRegistries = Set.copyOf(hostPorts);
            return this;
        }

        /** Receives a debug event per request and a warning per retry. */
        public Builder listener(ProgressListener progressListener) {
            this.listener = Objects.requireNonNull(progressListener, "progressListener");
            return this;
        }

        /** The largest manifest (or tag-list page) read or pushed; default 4 MiB. */
        public Builder maxManifestBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxManifestBytes must be positive");
            }
            this.maxManifestBytes = bytes;
            return this;
        }

        /** Time to open a connection (default 10 s); ignored with {@link #httpClient}, which has its own. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Deadline for one exchange, headers and body together (default 60 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How many times a transient failure is retried (default 3; 0 disables retries). */
        public Builder retries(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("retries must not be negative");
            }
            this.retries = count;
            return this;
        }

        /** Backoff before retry n is {@code initial × 2^(n-1)}, and no pause (nor Retry-After) exceeds {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        /** How to wait between retries (tests record instead of sleeping). */
        public Builder sleeper(Sleeper pause) {
            this.sleeper = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** The clock for token expiry and {@code Retry-After} dates. */
        public Builder clock(Clock time) {
            this.clock = Objects.requireNonNull(time, "time");
            return this;
        }

        /** A custom JDK client (TLS settings, proxy); it must use {@code Redirect.NEVER}. */
        public Builder httpClient(HttpClient client) {
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("the HttpClient must use Redirect.NEVER: redirects are followed by the client");
            }
            this.httpClient = client;
            return this;
        }

        /** The {@code n} asked for per tag-list page (default 100). */
        public Builder tagPageSize(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("tagPageSize must be positive");
            }
            this.tagPageSize = size;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration");
            }
            return duration;
        }
    }
}
