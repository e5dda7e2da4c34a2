package io.jenkins.plugins.imagetrust.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dockerd fixture is private to the test: its own root, socket and storage, and it builds without a network. */
class DockerdFixtureTest {
    @RegisterExtension
    static final DockerdFixture dockerd = new DockerdFixture();

    @Test
    void theDaemonKeepsToItsOwnFolderAndSocket() {
        String info = dockerd.docker("info", "--format", "{{.DockerRootDir}} {{.Driver}} {{.Name}}").assertSuccess().stdout();

        assertThat(info.strip()).startsWith(dockerd.dataRoot() + " vfs ");
        assertThat(dockerd.dockerHost()).startsWith("unix:///tmp/itd-").hasSizeLessThan(100);
        assertThat(dockerd.startupTime()).isPositive();
        assertThat(dockerd.log()).doesNotContain("/var/lib/docker", "/var/run/docker.sock", "/etc/docker/key.json");
    }

    @Test
    void buildsDistinctScratchImagesWithoutANetwork() {
        String first = dockerd.buildScratchImage("fixture/one:1", "one");
        String second = dockerd.buildScratchImage("fixture/two:1", "two");

        assertThat(first).startsWith("sha256:").isNotEqualTo(second);
        assertThat(dockerd.docker("image", "inspect", "--format", "{{.Id}}", "fixture/one:1").assertSuccess().stdout().strip())
                .isEqualTo(first);
        assertThat(dockerd.docker("image", "inspect", "fixture/none:1").exitCode()).isNotZero();
        assertThat(Files.isDirectory(dockerd.dataRoot())).isTrue();
    }
}
