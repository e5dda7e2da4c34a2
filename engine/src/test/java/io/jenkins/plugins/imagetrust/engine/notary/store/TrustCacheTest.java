package io.jenkins.plugins.imagetrust.engine.notary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TrustCacheTest {
    private static final String GUN = "registry.test:5000/team/app";
    private static final byte[] ROOT = "{\"signed\":{}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path shared;

    static Stream<Arguments> caches() {
        return Stream.of(Arguments.of(new InMemoryTrustCache()), Arguments.of(new DirectoryTrustCache(shared.resolve("cache-" + System.nanoTime()))));
    }

    @ParameterizedTest
    @MethodSource("caches")
    void versionsOnlyGoUp(TrustCache cache) {
        assertThat(cache.trustedRoot(GUN)).isEmpty();
        assertThat(cache.lastVersion(GUN, "targets")).isZero();

        cache.save(GUN, ROOT, Map.of("targets", 5L, "timestamp", 7L));
        cache.save(GUN, ROOT, Map.of("targets", 3L));

        assertThat(cache.trustedRoot(GUN)).hasValue(ROOT);
        assertThat(cache.lastVersion(GUN, "targets")).isEqualTo(5);
        assertThat(cache.lastVersion(GUN, "timestamp")).isEqualTo(7);
        assertThat(cache.lastVersion("registry.test:5000/team/other", "targets")).isZero();
    }

    @Test
    void directoryCacheSurvivesANewInstanceAndKeepsEachRepositoryInOneSegment(@TempDir Path dir) throws Exception {
        new DirectoryTrustCache(dir).save(GUN, ROOT, Map.of("targets/releases", 2L));

        assertThat(new DirectoryTrustCache(dir).lastVersion(GUN, "targets/releases")).isEqualTo(2);
        try (Stream<Path> children = Files.list(dir)) {
            assertThat(children).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).isEqualTo("registry.test%3A5000%2Fteam%2Fapp"));
        }
        assertThatThrownBy(() -> new DirectoryTrustCache(dir).trustedRoot("registry.test/../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCorruptedVersionFailsClosed(@TempDir Path dir) throws Exception {
        DirectoryTrustCache cache = new DirectoryTrustCache(dir);
        cache.save(GUN, ROOT, Map.of("timestamp", 2L));
        Path versions = dir.resolve("registry.test%3A5000%2Fteam%2Fapp").resolve("versions.properties");
        Files.writeString(versions, "timestamp=two\n");

        assertThatThrownBy(() -> cache.lastVersion(GUN, "timestamp")).isInstanceOf(IllegalStateException.class).hasMessageContaining("bad version");
    }
}
