package io.jenkins.plugins.imagetrust.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalImageTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static LocalImage imageWithRepoDigests(String... repoDigests) {
        return new LocalImage("sha256:" + "f".repeat(64), List.of(), List.of(repoDigests));
    }

    @ParameterizedTest(name = "{0} is the repository of RepoDigests entry {1}")
    @CsvSource({
            "alpine,                               alpine",
            "alpine:3.20,                          alpine",
            "docker.io/library/alpine,             alpine",
            "index.docker.io/library/alpine:latest, alpine",
            "library/alpine,                       alpine",
            "alpine,                               docker.io/library/alpine",
            "user/app:1,                           user/app",
            "docker.io/user/app,                   user/app",
            "127.0.0.1:5000/lab/app:1,             127.0.0.1:5000/lab/app",
            "localhost/app,                        localhost/app",
            "registry.example.com/team/app,        registry.example.com/team/app",
    })
    void matchesTheSameRepositoryHoweverItIsWritten(String image, String entryName) {
        LocalImage local = imageWithRepoDigests(entryName + "@" + A);

        assertThat(local.digestsFor(ImageReference.parse(image))).containsExactly(Digest.parse(A));
    }

    @ParameterizedTest(name = "{0} is not the repository of RepoDigests entry {1}")
    @CsvSource({
            "alpine,                        user/alpine",
            "alpine,                        127.0.0.1:5000/alpine",
            "127.0.0.1:5000/lab/app,        127.0.0.1:5001/lab/app",
            "127.0.0.1:5000/lab/app,        localhost:5000/lab/app",
            "127.0.0.1:5000/lab/app,        127.0.0.1:5000/lab/app2",
            "127.0.0.1:5000/lab/app,        127.0.0.1:5000/lab",
            "registry.example.com/team/app, team/app",
    })
    void ignoresOtherRepositories(String image, String entryName) {
        LocalImage local = imageWithRepoDigests(entryName + "@" + A);

        assertThat(local.digestsFor(ImageReference.parse(image))).isEmpty();
    }

    @Test
    void picksTheEntriesOfTheImagesRepositoryAmongOthersInTheDaemonsOrder() {
        LocalImage local = imageWithRepoDigests(
                "127.0.0.1:5000/mirror/app@" + A,
                "127.0.0.1:5000/lab/app@" + B,
                "127.0.0.1:5000/lab/app@" + C,
                "127.0.0.1:5000/lab/app@" + B);

        assertThat(local.digestsFor(ImageReference.parse("127.0.0.1:5000/lab/app:1")))
                .containsExactly(Digest.parse(B), Digest.parse(C));
    }

    @Test
    void ignoresEntriesThatDoNotParseOrCarryNoDigest() {
        LocalImage local = imageWithRepoDigests(
                "127.0.0.1:5000/lab/app",
                "127.0.0.1:5000/lab/app:1",
                "127.0.0.1:5000/lab/App@" + A,
                "127.0.0.1:5000/lab/app@sha256:short",
                "",
                "127.0.0.1:5000/lab/app@" + B);

        assertThat(local.digestsFor(ImageReference.parse("127.0.0.1:5000/lab/app"))).containsExactly(Digest.parse(B));
    }

    @Test
    void theTagOfTheImageDoesNotMatterOnlyItsRepository() {
        LocalImage local = imageWithRepoDigests("alpine@" + A);

        assertThat(local.digestsFor(ImageReference.parse("alpine:edge"))).containsExactly(Digest.parse(A));
        assertThat(local.digestsFor(ImageReference.parse("alpine@" + B))).containsExactly(Digest.parse(A));
    }
}
