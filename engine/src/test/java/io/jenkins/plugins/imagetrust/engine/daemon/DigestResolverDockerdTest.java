package io.jenkins.plugins.imagetrust.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.testing.DockerdFixture;
import io.jenkins.plugins.imagetrust.engine.testing.FreePorts;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Digests from a real dockerd that pushes to a real docker-registry: the daemon's RepoDigests, its
 * {@code /distribution} view and a HEAD against the registry, and what {@link DigestResolver} makes of them when
 * they agree and when another pusher moved the tag.
 */
class DigestResolverDockerdTest {
    @RegisterExtension
    @Order(1)
    static final RegistryFixture registry = new RegistryFixture();

    @RegisterExtension
    @Order(2)
    static final DockerdFixture dockerd = new DockerdFixture();

    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: ");

    private static DockerHttpClient http;

    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final RegistryHttp registryHttp = new RegistryHttp();

    @BeforeAll
    static void connect() {
        http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(dockerd.dockerHostUri())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (http != null) {
            http.close();
        }
    }

    private DockerDaemon daemon() {
        return DockerDaemon.builder(http, dockerd.dockerHost()).listener(events::add).build();
    }

    private DigestResolver resolver() {
        return DigestResolver.builder(registryHttp).daemon(daemon()).listener(events::add).build();
    }

    /** Pushes with the docker CLI and returns the digest the CLI printed (the oracle). */
    private static Digest push(ImageReference image) {
        String output = dockerd.docker("push", image.toString()).assertSuccess().stdout();
        Matcher digest = PUSHED_DIGEST.matcher(output);
        assertThat(digest.find()).as("docker push output:\n%s", output).isTrue();
        return Digest.parse(digest.group(1));
    }

    private List<ProgressEvent> events(ProgressEvent.Severity severity, String operation) {
        return events.stream().filter(e -> e.severity() == severity && e.operation().equals(operation)).toList();
    }

    @Test
    void aPushedImageHasOneDigestInTheDaemonItsDistributionViewAndTheRegistry() throws Exception {
        ImageReference image = registry.reference("lab/agree:1");
        dockerd.buildScratchImage(image.toString(), "agree");
        Digest pushed = push(image);

        assertThat(daemon().inspectImage(image).digestsFor(image)).containsExactly(pushed);
        Descriptor distribution;
        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            distribution = daemon().distribution(image, anonymous);
        }
        assertThat(distribution.digest()).isEqualTo(pushed);
        assertThat(distribution.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(distribution.size()).isEqualTo(registryHttp.manifest(image).length);
        assertThat(registryHttp.resolve(image).digest()).isEqualTo(pushed);

        ResolvedDigest resolved = resolver().resolve(image);

        assertThat(resolved.agree()).isTrue();
        assertThat(resolved.registryDigest()).isEqualTo(pushed);
        assertThat(resolved.daemonDigest()).contains(pushed);
        assertThat(resolved.toSign(List.of(), false, ProgressListener.NONE)).isEqualTo(pushed);
        assertThat(events(ProgressEvent.Severity.INFO, "daemon-digest")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("digest from daemon").contains(pushed.toString()));
        assertThat(events(ProgressEvent.Severity.WARNING, "tag-moved")).isEmpty();
    }

    @Test
    void theDaemonsViewOfTheRegistryCanStandInForTheRegistryLookup() throws Exception {
        ImageReference image = registry.reference("lab/through-daemon:1");
        dockerd.buildScratchImage(image.toString(), "through the daemon");
        Digest pushed = push(image);

        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            ResolvedDigest resolved = DigestResolver.builder(daemon().registryLookup(anonymous)).daemon(daemon()).build()
                    .resolve(image);

            assertThat(resolved.registryDigest()).isEqualTo(pushed);
            assertThat(resolved.agree()).isTrue();
        }
    }

    @Test
    void whenAnotherPusherMovesTheTagTheDaemonStillNamesWhatItPushedAndAgreementIsRefused() throws Exception {
        ImageReference image = registry.reference("lab/moving:1");
        String firstImageId = dockerd.buildScratchImage(image.toString(), "first");
        Digest first = push(image);
        ImageReference other = registry.reference("lab/moving:other");
        dockerd.buildScratchImage(other.toString(), "second");
        Digest second = push(other);
        assertThat(second).isNotEqualTo(first);

        // Someone else (not this daemon) points the tag at the second image.
        assertThat(registryHttp.copyManifest(other, image)).isEqualTo(second);

        LocalImage local = daemon().inspectImage(image);
        assertThat(local.id()).isEqualTo(firstImageId);
        assertThat(local.digestsFor(image)).containsExactly(first);
        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            assertThat(daemon().distribution(image, anonymous).digest()).isEqualTo(second);
        }
        assertThat(registryHttp.resolve(image).digest()).isEqualTo(second);

        ResolvedDigest resolved = resolver().resolve(image);

        assertThat(resolved.agree()).isFalse();
        assertThat(resolved.registryDigest()).isEqualTo(second);
        assertThat(resolved.daemonDigest()).contains(first);
        TagMovedException moved = catchThrowableOfType(TagMovedException.class, () -> resolved.toSign(List.of(), false, ProgressListener.NONE));
        assertThat(moved).isNotNull();
        assertThat(moved.image()).isEqualTo(image);
        assertThat(moved.registryDigest()).isEqualTo(second);
        assertThat(moved.daemonDigest()).isEqualTo(first);
        assertThat(moved.getMessage()).contains(image.toString(), first.toString(), second.toString(), dockerd.dockerHost());
        assertThat(events(ProgressEvent.Severity.WARNING, "tag-moved")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("tag moved").contains(first.toString(), second.toString()));
    }

    @Test
    void whenTheSameDaemonPushesAnotherImageToTheTagTheFirstImageKeepsItsOldDigest() throws Exception {
        ImageReference image = registry.reference("lab/retagged:1");
        String firstImageId = dockerd.buildScratchImage(image.toString(), "first of retagged");
        Digest first = push(image);
        dockerd.buildScratchImage(image.toString(), "second of retagged");
        Digest second = push(image);

        String firstImageRepoDigests = dockerd.docker("image", "inspect", "--format", "{{json .RepoDigests}}", firstImageId)
                .assertSuccess().stdout();
        assertThat(firstImageRepoDigests).contains(image.name() + "@" + first).doesNotContain(second.toString());
        // The tag now names the second image, whose digest this daemon pushed: both sources agree again.
        ResolvedDigest resolved = resolver().resolve(image);
        assertThat(resolved.agree()).isTrue();
        assertThat(resolved.toSign(List.of(), false, ProgressListener.NONE)).isEqualTo(second);
    }

    @Test
    void anImageBuiltHereButPushedByNobodyHereIsNotConfirmed() throws Exception {
        ImageReference source = registry.reference("lab/source:1");
        dockerd.buildScratchImage(source.toString(), "source");
        Digest pushedElsewhere = push(source);
        ImageReference image = registry.reference("lab/unpushed:1");
        dockerd.buildScratchImage(image.toString(), "built here, never pushed");
        registryHttp.copyManifest(source, image);

        ResolvedDigest resolved = resolver().resolve(image);

        assertThat(resolved.daemonDigests()).isEmpty();
        assertThat(resolved.daemonDigest()).isEmpty();
        assertThat(resolved.agree()).isFalse();
        assertThat(resolved.toSign(List.of(), false, ProgressListener.NONE)).as("nothing to compare with: the registry's digest")
                .isEqualTo(resolved.registryDigest());
        assertThat(events(ProgressEvent.Severity.WARNING, "daemon-digest")).hasSize(1);
    }

    @Test
    void aMissingLocalImageIsAClearDaemonError() throws Exception {
        ImageReference image = registry.reference("lab/never-built:1");

        DaemonNotFoundException missing = catchThrowableOfType(DaemonNotFoundException.class, () -> daemon().inspectImage(image));

        assertThat(missing).isNotNull();
        assertThat(missing.status()).hasValue(404);
        assertThat(missing.endpoint()).isEqualTo(dockerd.dockerHost());
        assertThat(missing.getMessage()).contains("inspect image " + image, dockerd.dockerHost()).containsIgnoringCase("no such image");

        // Through the resolver: the registry has the tag (another pusher), this daemon has no such image.
        ImageReference source = registry.reference("lab/elsewhere-source:1");
        dockerd.buildScratchImage(source.toString(), "elsewhere");
        push(source);
        ImageReference onlyInRegistry = registry.reference("lab/elsewhere:1");
        registryHttp.copyManifest(source, onlyInRegistry);
        assertThatThrownBy(() -> resolver().resolve(onlyInRegistry))
                .isInstanceOf(DaemonNotFoundException.class).hasMessageContaining(onlyInRegistry.toString());
    }

    @Test
    void aMissingTagIsAClearErrorFromEverySource() throws Exception {
        ImageReference pushed = registry.reference("lab/tags:1");
        dockerd.buildScratchImage(pushed.toString(), "tags");
        push(pushed);
        ImageReference missingTag = registry.reference("lab/tags:no-such-tag");

        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            assertThatThrownBy(() -> daemon().distribution(missingTag, anonymous))
                    .isInstanceOf(DaemonNotFoundException.class)
                    .hasMessageContaining("resolve " + missingTag)
                    .hasMessageContaining("manifest unknown");
            RegistryException throughDaemon = catchThrowableOfType(RegistryException.class,
                    () -> daemon().registryLookup(anonymous).resolve(missingTag));
            assertThat(throughDaemon).isNotNull().hasCauseInstanceOf(DaemonNotFoundException.class);
            assertThat(throughDaemon.repository()).isEqualTo("lab/tags");
        }
        assertThatThrownBy(() -> resolver().resolve(missingTag))
                .isInstanceOf(RegistryException.class).hasMessageContaining("no-such-tag").hasMessageContaining("404");
    }

    @Test
    void anUnreachableRegistryIsADaemonErrorWithTheDaemonsReason() throws Exception {
        ImageReference nowhere = ImageReference.parse("127.0.0.1:" + FreePorts.next() + "/lab/app:1");

        try (DaemonRegistryAuth anonymous = DaemonRegistryAuth.anonymous()) {
            DaemonException failure = catchThrowableOfType(DaemonException.class, () -> daemon().distribution(nowhere, anonymous));

            assertThat(failure).isNotNull().isNotInstanceOf(DaemonNotFoundException.class);
            assertThat(failure.status()).hasValue(500);
            assertThat(failure.getMessage()).contains(nowhere.toString(), "connection refused");
        }
    }
}
