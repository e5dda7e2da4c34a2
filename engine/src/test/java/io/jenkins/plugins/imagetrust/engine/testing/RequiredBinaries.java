package io.jenkins.plugins.imagetrust.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real peers (docker-registry, notary-server, dockerd, softhsm2-util…) on the PATH. A missing binary
 * skips the test with a loud message on a developer machine, and fails it under CI ({@code CI=true}), where
 * {@code .ci/run} installs everything.
 */
public final class RequiredBinaries {
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private RequiredBinaries() {
    }

    /** The absolute path of {@code name}, or the test is skipped (developer machine) or failed (CI). */
    public static Path require(String name) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "REAL-PEER TEST NOT RUN: the binary '" + name + "' is not installed"
                + " (install it with .ci/run, or apt-get install the package that ships it)";
        if (isCi()) {
            Assertions.fail(message + "; under CI=true a missing binary is a failure");
        }
        System.err.println("*** " + message + " ***");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Whether this JVM runs as root (dockerd needs it). Same skip/fail rule as a missing binary. */
    public static void requireRoot(String why) {
        if (isRoot()) {
            return;
        }
        String message = "REAL-PEER TEST NOT RUN: " + why + " needs root";
        if (isCi()) {
            Assertions.fail(message + "; under CI=true this is a failure");
        }
        System.err.println("*** " + message + " ***");
        Assumptions.abort(message);
    }

    /** Whether this JVM runs as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.addAll(SEARCH_PATH);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
