package io.jenkins.plugins.imagetrust.steps;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import io.jenkins.plugins.imagetrust.engine.daemon.DockerDaemon;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.security.MasterToSlaveCallable;

/**
 * Runs on the agent: asks the agent's Docker daemon which digest it last pushed (or pulled) for an image. It carries
 * only the image name and the daemon's address, and returns only the digest: no credential travels either way.
 */
final class DaemonDigestLookup extends MasterToSlaveCallable<ArrayList<String>, IOException> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final String image;
    private final String dockerHost;
    private final String tlsCertPath;

    private DaemonDigestLookup(String image, @CheckForNull String dockerHost, @CheckForNull String tlsCertPath) {
        this.image = image;
        this.dockerHost = dockerHost;
        this.tlsCertPath = tlsCertPath;
    }

    /** A lookup of {@code image} honouring the build's {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} and cert path. */
    static DaemonDigestLookup forEnvironment(ImageReference image, @CheckForNull EnvVars env) {
        String host = env == null ? null : blankToNull(env.get("DOCKER_HOST"));
        boolean tls = env != null
                && blankToNull(env.get("DOCKER_TLS_VERIFY")) != null
                && !"0".equals(env.get("DOCKER_TLS_VERIFY"));
        String certPath = tls ? blankToNull(env.get("DOCKER_CERT_PATH")) : null;
        if (tls && certPath == null) {
            certPath = blankToNull(env.get("HOME")) == null ? null : env.get("HOME") + "/.docker";
        }
        return new DaemonDigestLookup(image.toString(), host, certPath);
    }

    /** The daemon this lookup asks, for the log. */
    String daemonDescription() {
        return dockerHost == null ? "the default Docker daemon" : dockerHost;
    }

    /**
     * The digests the daemon holds for the image's repository ({@code RepoDigests}: what it pushed or pulled there),
     * empty when it holds none.
     */
    @Override
    public ArrayList<String> call() throws IOException {
        URI host = URI.create(dockerHost != null ? dockerHost : defaultDockerHost());
        ApacheDockerHttpClient.Builder builder = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .maxConnections(2)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT);
        if (tlsCertPath != null) {
            builder.sslConfig(new LocalDirectorySSLConfig(tlsCertPath));
        }
        try (DockerHttpClient http = builder.build()) {
            ImageReference reference = ImageReference.parse(image);
            List<Digest> digests = DockerDaemon.builder(http, host.toString())
                    .build()
                    .inspectImage(reference)
                    .digestsFor(reference);
            ArrayList<String> result = new ArrayList<>();
            digests.forEach(d -> result.add(d.toString()));
            return result;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            // Only the message travels back to the controller: it names the daemon and the operation, and the
            // controller merely logs it before asking the registry instead.
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String defaultDockerHost() {
        return File.pathSeparatorChar == ';' ? "npipe:////./pipe/docker_engine" : "unix:///var/run/docker.sock";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
