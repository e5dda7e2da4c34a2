package io.jenkins.plugins.imagetrust.engine.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from a docker {@code config.json}, found the way the docker CLI finds them: a {@code credHelpers}
 * entry for the registry, else the {@code credsStore} helper, else the {@code auths} entry ({@code auth} =
 * base64 of {@code user:password}, or {@code username}/{@code password}, or {@code identitytoken}). Docker Hub's key
 * is {@code https://index.docker.io/v1/}. The file is read again on each request so that no secret stays in memory
 * between operations; a missing file means anonymous.
 */
public final class DockerConfig implements RegistryCredentialsProvider {
    /** The server URL docker uses for Docker Hub, in {@code auths} and towards credential helpers. */
    public static final String DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";
    private static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private final Path file;
    private final List<Path> helperSearchPath;
    private final Duration helperTimeout;

    private DockerConfig(Builder builder) {
        this.file = builder.directory.resolve("config.json");
        this.helperSearchPath = List.copyOf(builder.helperSearchPath);
        this.helperTimeout = builder.helperTimeout;
    }

    /** The configuration in {@code directory} (holding {@code config.json}), with helpers found on {@code PATH}. */
    public static DockerConfig load(Path directory) throws CredentialsException {
        DockerConfig config = builder(directory).build();
        config.read(); // fail now on a malformed file rather than at the first push
        return config;
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** {@code DOCKER_CONFIG} of {@code environment}, else {@code ~/.docker}: where the docker CLI looks. */
    public static Path defaultDirectory(Map<String, String> environment) {
        String configured = environment.get("DOCKER_CONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".docker");
    }

    /** The {@code PATH} folders, where credential helpers are looked up by default. */
    public static List<Path> systemPath() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    @Override
    public Optional<RegistryCredentials> credentialsFor(String registry) throws CredentialsException {
        JsonNode config = read();
        if (config == null) {
            return Optional.empty();
        }
        String wanted = normalise(registry);
        String serverUrl = wanted.equals("docker.io") ? DOCKER_HUB_SERVER_URL : registry;
        Optional<String> helper = matching(config.path("credHelpers"), wanted).map(node -> node.asText(""))
                .filter(name -> !name.isEmpty());
        if (helper.isPresent()) {
            return new CredentialHelper(helper.get(), helperSearchPath, helperTimeout).get(serverUrl);
        }
        String store = config.path("credsStore").asText("");
        if (!store.isEmpty()) {
            Optional<RegistryCredentials> stored = new CredentialHelper(store, helperSearchPath, helperTimeout).get(serverUrl);
            if (stored.isPresent()) {
                return stored;
            }
        }
        Optional<JsonNode> entry = matching(config.path("auths"), wanted);
        return entry.isPresent() ? fromAuthsEntry(entry.get(), registry) : Optional.empty();
    }

    private JsonNode read() throws CredentialsException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = CappedRead.readAtMost(in, MAX_CONFIG_BYTES, file.toString());
            try {
                JsonNode json = JsonMappers.lenient().readTree(bytes);
                if (json == null || !json.isObject()) {
                    throw new CredentialsException(file + " does not hold a JSON object");
                }
                return json;
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (CappedRead.TooLargeException e) {
            throw new CredentialsException(e.getMessage());
        } catch (CredentialsException e) {
            throw e;
        } catch (IOException e) {
            // Jackson's message may quote file content: name only the file and the kind of problem
            throw new CredentialsException(file + " could not be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Optional<RegistryCredentials> fromAuthsEntry(JsonNode entry, String registry) throws CredentialsException {
        String identityToken = entry.path("identitytoken").asText("");
        if (!identityToken.isEmpty()) {
            return Optional.of(RegistryCredentials.identityToken(entry.path("username").asText(""), identityToken.toCharArray()));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            return Optional.of(decodeAuth(auth, registry));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!username.isEmpty() && !password.isEmpty()) {
            char[] chars = password.toCharArray();
            try {
                return Optional.of(RegistryCredentials.basic(username, chars));
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
        return Optional.empty();
    }

    /** Decodes {@code base64(user:password)} without making a String of the password. */
    private RegistryCredentials decodeAuth(String auth, String registry) throws CredentialsException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(auth.strip());
        } catch (IllegalArgumentException e) {
            throw new CredentialsException("the 'auth' value for " + registry + " in " + file + " is not valid base64");
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw));
        char[] all = new char[chars.remaining()];
        chars.get(all);
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(chars.array(), '\0');
        try {
            int colon = -1;
            for (int i = 0; i < all.length && colon < 0; i++) {
                if (all[i] == ':') {
                    colon = i;
                }
            }
            if (colon <= 0) {
                throw new CredentialsException("the 'auth' value for " + registry + " in " + file
                        + " is not base64 of user:password");
            }
            char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
            try {
                return RegistryCredentials.basic(new String(all, 0, colon), password);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(all, '\0');
        }
    }

    /** The member of {@code object} whose key names the same registry as {@code wanted}. */
    private static Optional<JsonNode> matching(JsonNode object, String wanted) {
        if (!object.isObject()) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (normalise(member.getKey()).equals(wanted)) {
                return Optional.of(member.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * A config key or registry name reduced to {@code host[:port]}: scheme and path dropped, lower case, and the
     * Docker Hub aliases ({@code index.docker.io}, {@code registry-1.docker.io}) mapped to {@code docker.io}.
     */
    static String normalise(String keyOrRegistry) {
        String text = keyOrRegistry.strip().toLowerCase(Locale.ROOT);
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            text = text.substring(scheme + 3);
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            text = text.substring(0, slash);
        }
        switch (text) {
            case "index.docker.io":
            case "registry-1.docker.io":
                return "docker.io";
            default:
                return text;
        }
    }

    @Override
    public String toString() {
        return "DockerConfig[" + file + "]";
    }

    /** Where the configuration lives and how helpers run. */
    public static final class Builder {
        private final Path directory;
        private List<Path> helperSearchPath = systemPath();
        private Duration helperTimeout = Duration.ofSeconds(30);

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The folders searched for {@code docker-credential-*} (default: {@code PATH}). */
        public Builder helperSearchPath(List<Path> folders) {
            this.helperSearchPath = List.copyOf(folders);
            return this;
        }

        /** How long a credential helper may run (default 30 s). */
        public Builder helperTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the helper timeout must be positive");
            }
            this.helperTimeout = timeout;
            return this;
        }

        /** The provider; {@code config.json} is read (and checked) only when credentials are asked for. */
        public DockerConfig build() {
            return new DockerConfig(this);
        }
    }
}
