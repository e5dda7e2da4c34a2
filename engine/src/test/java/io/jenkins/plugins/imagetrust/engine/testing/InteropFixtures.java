package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The artefacts real tools made ({@code shared/interop/} beside the checkout: skopeo signatures, cosign keys,
 * Notary metadata). They are read as exact bytes, never reformatted. Their absence is a failure, not a skip:
 * CI always has {@code shared/} beside the clone.
 */
public final class InteropFixtures {
    private InteropFixtures() {
    }

    /** The folder {@code shared/interop}, found by walking up from the working directory. */
    public static Path root() {
        Optional<Path> found = Optional.empty();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && found.isEmpty(); dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("interop");
            if (Files.isDirectory(candidate)) {
                found = Optional.of(candidate);
            }
        }
        if (found.isPresent()) {
            return found.get();
        }
        // Like a missing peer: loud on a developer's machine, a failure under CI (which always has shared/).
        String message = "INTEROP FIXTURES NOT FOUND: no shared/interop above " + Path.of("").toAbsolutePath()
                + " (the artefacts real tools made live beside the checkout)";
        if (RequiredBinaries.isCi()) {
            return Assertions.fail(message + "; under CI=true this is a failure");
        }
        System.err.println("*** " + message + ": the test is skipped ***");
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    /** A file under {@code shared/interop}, e.g. {@code path("cosign/signature-manifest.json")}. */
    public static Path path(String relative) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            Assertions.fail("interop fixture missing: " + file);
        }
        return file;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relative) {
        return new String(bytes(relative), java.nio.charset.StandardCharsets.UTF_8);
    }
}
