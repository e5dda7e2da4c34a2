package io.jenkins.plugins.imagetrust.engine.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.reference.InvalidReferenceException;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Asks a Docker daemon about images through docker-java's {@link DockerHttpClient} with raw API requests:
 * <ul>
 *   <li>{@link #inspectImage} ({@code GET /images/{name}/json}): the local image and its {@code RepoDigests}, the
 *       digests as of this daemon's last push or pull. They say what <em>this daemon</em> pushed, and go stale when
 *       someone else pushes to the tag.</li>
 *   <li>{@link #distribution} ({@code GET /distribution/{name}/json}): what the registry has now, asked by the daemon
 *       with the credentials in {@code X-Registry-Auth} and the daemon's own insecure-registry settings.</li>
 * </ul>
 *
 * <p>The caller builds and owns the {@link DockerHttpClient} (zerodep in the CLI, {@code ApacheDockerHttpClient}
 * from the {@code docker-java-api} plugin inside Jenkins) and <strong>must build it with timeouts</strong>, e.g.
 * {@code connectionTimeout(Duration.ofSeconds(10))} and {@code responseTimeout(Duration.ofSeconds(60))}: the
 * transport's defaults wait forever, and {@code /distribution} waits on the registry. Every response body is read to
 * a fixed cap. This class does not close the client.
 */
public final class DockerDaemon {
    /** The API version of dockerd 20.10; newer daemons still accept it up to Docker 28. */
    public static final String DEFAULT_API_VERSION = "1.41";
    static final int MAX_INSPECT_BYTES = 1024 * 1024;
    static final int MAX_DISTRIBUTION_BYTES = 256 * 1024;
    static final int MAX_ERROR_BYTES = 8 * 1024;
    private static final int MAX_ERROR_MESSAGE_CHARS = 500;
    private static final Pattern API_VERSION = Pattern.compile("[0-9]+\\.[0-9]+");
    private static final ObjectMapper JSON = JsonMappers.lenient();

    private final DockerHttpClient http;
    private final String endpoint;
    private final String pathPrefix;
    private final ProgressListener listener;

    private DockerDaemon(Builder builder) {
        this.http = builder.http;
        this.endpoint = builder.endpoint;
        this.pathPrefix = builder.apiVersion == null ? "" : "/v" + builder.apiVersion;
        this.listener = builder.listener;
    }

    /**
     * @param http a client built with timeouts, see the class documentation
     * @param endpoint where it connects, for messages only (e.g. {@code unix:///var/run/docker.sock})
     */
    public static Builder builder(DockerHttpClient http, String endpoint) {
        return new Builder(http, endpoint);
    }

    /** Where the daemon listens, as given to the builder. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * The local image {@code image} names (by tag, or by digest when it has one).
     *
     * @throws DaemonNotFoundException when the daemon has no such image
     * @throws DaemonException when the daemon cannot be reached or answers something else
     */
    public LocalImage inspectImage(ImageReference image) throws DaemonException {
        String operation = "inspect image " + image;
        JsonNode json = get(operation, "/images/" + pathSegment(image) + "/json", Map.of(), MAX_INSPECT_BYTES);
        String id = json.path("Id").asText("");
        if (id.isEmpty()) {
            throw new DaemonException(endpoint, operation, 200, "the answer has no image Id");
        }
        return new LocalImage(id, strings(json.path("RepoTags")), strings(json.path("RepoDigests")));
    }

    /**
     * The manifest the registry serves for {@code image} now, as the daemon resolves it: a {@code HEAD}/{@code GET}
     * by the daemon against the registry, with {@code auth} and the daemon's registry settings.
     *
     * @throws DaemonNotFoundException when the registry has no such tag or repository
     * @throws DaemonException when the daemon or the registry cannot be reached, refuses, or answers nonsense
     */
    public Descriptor distribution(ImageReference image, DaemonRegistryAuth auth) throws DaemonException {
        String operation = "resolve " + image + " in its registry";
        JsonNode json = get(operation, "/distribution/" + pathSegment(image) + "/json",
                Map.of("X-Registry-Auth", auth.headerValue()), MAX_DISTRIBUTION_BYTES);
        JsonNode descriptor = json.path("Descriptor");
        String mediaType = descriptor.path("mediaType").asText("");
        String digest = descriptor.path("digest").asText("");
        JsonNode size = descriptor.path("size");
        if (mediaType.isEmpty() || digest.isEmpty() || !size.canConvertToLong() || size.asLong() < 0) {
            throw new DaemonException(endpoint, operation, 200,
                    "the answer lacks Descriptor.mediaType, Descriptor.digest or a non-negative Descriptor.size");
        }
        try {
            return new Descriptor(mediaType, Digest.parse(digest), size.asLong());
        } catch (InvalidReferenceException e) {
            throw new DaemonException(endpoint, operation, 200, "the answer holds an unusable digest: " + e.getMessage(), e);
        }
    }

    /**
     * This daemon's view of the registry as a {@link RegistryDigestLookup}, for when the engine cannot reach the
     * registry itself but the daemon can. Daemon failures become {@link RegistryException}s that keep the
     * {@link DaemonException} as their cause. The caller keeps {@code auth} open while using the lookup.
     */
    public RegistryDigestLookup registryLookup(DaemonRegistryAuth auth) {
        Objects.requireNonNull(auth, "auth");
        return image -> {
            try {
                return distribution(image, auth);
            } catch (DaemonException e) {
                throw new RegistryException(image.registry(), image.repository(), "resolve through Docker daemon " + endpoint,
                        e.getMessage(), e);
            }
        };
    }

    private JsonNode get(String operation, String apiPath, Map<String, String> headers, int maxBytes) throws DaemonException {
        String path = pathPrefix + apiPath;
        listener.debug("daemon", "GET " + path + " on " + endpoint);
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(path)
                .headers(headers)
                .build();
        int status = -1;
        try (DockerHttpClient.Response response = http.execute(request)) {
            status = response.getStatusCode();
            InputStream body = response.getBody();
            if (status == 200) {
                byte[] bytes;
                try {
                    bytes = CappedRead.readAtMost(body, maxBytes, "the answer");
                } catch (CappedRead.TooLargeException e) {
                    throw new DaemonException(endpoint, operation, status, e.getMessage());
                }
                return parse(operation, bytes);
            }
            String daemonMessage = errorMessage(body);
            if (status == 404) {
                throw new DaemonNotFoundException(endpoint, operation, "not found: " + daemonMessage);
            }
            throw new DaemonException(endpoint, operation, status, "the daemon answered HTTP " + status + ": " + daemonMessage);
        } catch (IOException e) {
            throw new DaemonException(endpoint, operation, status, "reading the answer failed: " + describe(e), e);
        } catch (RuntimeException e) {
            // The transports wrap connection failures and timeouts in unchecked exceptions.
            throw new DaemonException(endpoint, operation, status, "the daemon could not be reached: " + describe(e), e);
        }
    }

    private JsonNode parse(String operation, byte[] bytes) throws DaemonException {
        try {
            JsonNode json = JSON.readTree(bytes);
            if (json == null || !json.isObject()) {
                throw new DaemonException(endpoint, operation, 200, "the answer is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new DaemonException(endpoint, operation, 200, "the answer is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DaemonException(endpoint, operation, 200, "the answer could not be read: " + describe(e), e);
        }
    }

    /** The daemon's {@code {"message": …}}, shortened and stripped of control characters; a placeholder otherwise. */
    private static String errorMessage(InputStream body) throws IOException {
        byte[] bytes = CappedRead.prefix(body, MAX_ERROR_BYTES);
        String message;
        try {
            JsonNode json = JSON.readTree(bytes);
            message = json != null && json.path("message").isTextual() ? json.path("message").asText()
                    : new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            message = new String(bytes, StandardCharsets.UTF_8);
        }
        message = message.replaceAll("\\p{Cntrl}", " ").strip();
        if (message.isEmpty()) {
            return "(no message)";
        }
        return message.length() > MAX_ERROR_MESSAGE_CHARS ? message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "…" : message;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(value -> {
                if (value.isTextual()) {
                    values.add(value.asText());
                }
            });
        }
        return values;
    }

    /**
     * The reference as one path segment. The daemon routes {@code /images/{name:.*}/json}, so slashes stay; anything
     * outside the reference alphabet (e.g. the brackets of an IPv6 registry) is percent-encoded.
     */
    static String pathSegment(ImageReference image) {
        String text = image.toString();
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".-_/:@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(java.util.Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof java.net.ConnectException || root instanceof java.net.SocketException && message != null
                && (message.contains("No such file") || message.contains("Connection refused"))) {
            return "nothing listens there (is the Docker daemon running, and is this its address?) (" + message + ")";
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Configures a {@link DockerDaemon}. */
    public static final class Builder {
        private final DockerHttpClient http;
        private final String endpoint;
        private String apiVersion = DEFAULT_API_VERSION;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder(DockerHttpClient http, String endpoint) {
            this.http = Objects.requireNonNull(http, "http");
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * The API version in each path ({@code 1.41} by default). Docker 29 and later refuse versions below 1.44:
         * set {@code "1.44"} there, or {@code null} for unversioned paths (the daemon's newest API).
         */
        public Builder apiVersion(String version) {
            if (version != null && !API_VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("a Docker API version looks like 1.41, not '" + version + "'");
            }
            this.apiVersion = version;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public DockerDaemon build() {
            return new DockerDaemon(this);
        }
    }
}
