package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The real Notary metadata in {@code shared/interop/notary/}, and the facts the tests check against it. */
final class NotaryInterop {
    static final String HELLO_GUN = "127.0.0.1:5001/lab/hello";
    static final String PUSHSIGNED_GUN = "127.0.0.1:5001/lab/pushsigned";
    static final String THIRDPARTY_GUN = "127.0.0.1:5001/lab/thirdparty";
    /** A day the interop timestamps are valid. */
    static final Clock VALID_CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    /** Just after the hello timestamp expired. */
    static final Clock AFTER_TIMESTAMP_EXPIRY = Clock.fixed(Instant.parse("2026-12-09T07:17:36Z"), ZoneOffset.UTC);

    private NotaryInterop() {
    }

    static Path notaryDir() {
        return InteropFixtures.root().resolve("notary");
    }

    static Path metadataDir(String name) {
        return notaryDir().resolve("metadata").resolve(name);
    }

    /** Every raw metadata file (envelopes only: no pretty copies, no server key responses). */
    static List<Path> rawMetadataFiles() {
        try (Stream<Path> walk = Files.walk(notaryDir())) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().endsWith(".pretty.json"))
                    .filter(p -> !p.getFileName().toString().startsWith("server-"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
