package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sign --daemon}: the digest signed is the one a real dockerd pushed, and a moved tag is refused. */
class CliDaemonTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    @RegisterExtension
    static final DockerdFixture DOCKERD = new DockerdFixture();

    @TempDir
    Path dir;

    @Test
    void signsWhatTheDaemonPushedAndRefusesAMovedTag() throws Exception {
        Map<String, String> env = Map.of(Passwords.ENV, "daemon-pass", "DOCKER_HOST", DOCKERD.dockerHost());
        String prefix = dir.resolve("k").toString();
        assertThat(CliRun.run(env, "", "generate-key-pair", "--output-key-prefix", prefix).exitCode).isZero();
        ImageReference image = REGISTRY.reference("daemon/app:1");
        DOCKERD.buildScratchImage(image.toString(), "built by this job");
        DOCKERD.docker("push", image.toString()).assertSuccess();
        RegistryClient registry = RegistryClient.builder().build();
        Digest pushed = registry.resolve(image).digest();

        CliRun signed = CliRun.run(env, "", "sign", "-v", "--daemon", "--key", prefix + ".key", image.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        assertThat(signed.out.strip()).isEqualTo(image.repositoryOnly() + "@" + pushed);
        assertThat(signed.err).contains("digest from daemon");

        Digest swapped = TestImages.push(registry, image); // someone else moves the tag after the push
        CliRun refused = CliRun.run(env, "", "sign", "--daemon", "--key", prefix + ".key", image.toString());
        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(refused.err).contains("moved").contains(pushed.toString()).contains(swapped.toString());
        assertThat(registry.fetchManifest(image, swapped.signatureTag())).isEmpty();

        CliRun byDigest = CliRun.run(env, "", "sign", "--key", prefix + ".key", image.repositoryOnly() + "@" + pushed);
        assertThat(byDigest.exitCode).isZero();
    }
}
