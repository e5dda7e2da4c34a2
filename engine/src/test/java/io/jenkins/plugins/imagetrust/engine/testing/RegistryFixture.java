package io.jenkins.plugins.imagetrust.engine.testing;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) on 127.0.0.1 with a free port and a
 * temporary storage folder, for one test class. Register with
 * {@code @RegisterExtension static RegistryFixture registry = new RegistryFixture();}.
 * Subclasses may add to the configuration (token auth) through {@link #extraConfig(Path)}.
 */
public class RegistryFixture implements BeforeAllCallback, AfterAllCallback {
    private ManagedProcess process;
    private Path root;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public void start() throws IOException {
        Path binary = RequiredBinaries.require("docker-registry");
        root = Files.createTempDirectory("image-trust-registry");
        port = FreePorts.next();
        Path config = root.resolve("config.yml");
        Files.writeString(config, "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: false\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + root.resolve("data") + "\n"
                + "  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + extraConfig(root));
        process = ManagedProcess.start("docker-registry", List.of(binary.toString(), "serve", config.toString()), Map.of(), root);
        process.awaitReady(this::answers, Duration.ofSeconds(30));
    }

    /** YAML appended to the registry configuration (top-level sections). */
    protected String extraConfig(Path workDir) throws IOException {
        return "";
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 || response.statusCode() == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
        if (root != null) {
            deleteTree(root);
        }
    }

    /** {@code 127.0.0.1:<port>}, as written in image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + host();
    }

    /** A reference in this registry, e.g. {@code reference("lab/app:1.0")}. */
    public ImageReference reference(String repositoryAndTag) {
        return ImageReference.parse(host() + "/" + repositoryAndTag);
    }

    /** The registry's log so far (access log included), for assertions about requests. */
    public String log() {
        return process == null ? "" : process.logText();
    }

    public Path workDir() {
        return root;
    }

    static void deleteTree(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
