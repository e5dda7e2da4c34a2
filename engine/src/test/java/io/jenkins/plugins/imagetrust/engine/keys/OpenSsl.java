package io.jenkins.plugins.imagetrust.engine.keys;

import io.jenkins.plugins.imagetrust.engine.testing.RequiredBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary in a folder, to make and check key files the way users do. */
public final class OpenSsl {
    private final Path binary;
    private final Path dir;

    public OpenSsl(Path dir) {
        this.binary = RequiredBinaries.require("openssl");
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public byte[] bytes(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code openssl args…}; fails the test with its output unless it exits 0. */
    public String run(String... args) {
        Result result = tryRun(args);
        if (result.exitCode != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited " + result.exitCode + ":\n" + result.output);
        }
        return result.output;
    }

    public Result tryRun(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile(dir, "openssl", ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl " + String.join(" ", args) + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public record Result(int exitCode, String output) {
    }
}
