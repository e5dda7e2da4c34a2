package io.jenkins.plugins.imagetrust.cli;

import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.jenkins.plugins.imagetrust.engine.daemon.DockerDaemon;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import java.net.URI;
import java.time.Duration;

/** Connects to a Docker daemon the way the docker CLI finds it: the given host, else DOCKER_HOST, else the local socket. */
final class DaemonConnections {
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DaemonConnections() {
    }

    static DockerDaemon open(String host, CliContext context, ProgressListener listener) {
        String chosen = host != null && !host.isEmpty() ? host : context.environment().getOrDefault("DOCKER_HOST", DEFAULT_HOST);
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(chosen))
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerDaemon.builder(http, chosen).listener(listener).build();
    }
}
