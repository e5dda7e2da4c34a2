package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture.CommandResult;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The docker CLI against a {@link DockerdFixture} with Docker Content Trust on ({@code DOCKER_CONTENT_TRUST=1},
 * the fixture's Notary server) and its own {@code DOCKER_CONFIG} folder: docker keeps its trusted roots in
 * {@code <config>/trust}, so one folder is one client's memory of the repositories it has seen.
 */
final class TrustedDockerCli {
    private final DockerdFixture dockerd;
    private final NotaryFixture notary;
    private final Path config;

    TrustedDockerCli(DockerdFixture dockerd, NotaryFixture notary, Path config) {
        this.dockerd = dockerd;
        this.notary = notary;
        this.config = config;
    }

    /** This client's trust folder ({@code tuf/<gun>/metadata/*.json}, {@code private/} keys). */
    Path trustDirectory() {
        return config.resolve("trust");
    }

    /** docker trust sign names its signer role after the registry user: give the CLI one without a real login. */
    void loginAs(String registryHost, String user) throws IOException {
        DockerdFixture.writeRegistryLogin(config, registryHost, user);
    }

    /** Runs {@code docker <args>} with content trust on, against the fixture's Notary server and this client's folder. */
    CommandResult run(String... args) {
        return dockerd.trustedDocker(config, notary.url(), args);
    }
}
