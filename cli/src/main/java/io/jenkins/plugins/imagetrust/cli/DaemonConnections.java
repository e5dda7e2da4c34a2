package io.jenkins.plugins.imagetrust.cli;

import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.jenkins.plugins.imagetrust.engine.daemon.DockerDaemon;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.net.URI;
import java.time.Duration;

/** Connects to a Docker daemon the way the docker CLI finds it: --docker-host, else DOCKER_HOST, else the local socket. */
final class DaemonConnections {
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DaemonConnections() {
    }

    static DockerDaemon open(String host, CliContext context, ProgressListener listener) {
        String fromEnv = context.environment().get("DOCKER_HOST");
        String chosen = host != null && !host.isBlank() ? host.strip() : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : DEFAULT_HOST;
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(chosen))
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerDaemon.builder(http, chosen).listener(listener).build();
    }
}
