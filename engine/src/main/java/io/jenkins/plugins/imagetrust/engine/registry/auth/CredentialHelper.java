package io.jenkins.plugins.imagetrust.engine.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs a docker credential helper ({@code docker-credential-<name> get}, the server URL on stdin, JSON
 * {@code {"ServerURL","Username","Secret"}} on stdout) with a timeout and a cap on its output.
 * A {@code Username} of {@code <token>} marks the secret as an identity token.
 */
final class CredentialHelper {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_OUTPUT_BYTES = 64 * 1024;
    private static final String IDENTITY_TOKEN_USER = "<token>";

    private final String name;
    private final List<Path> searchPath;
    private final Duration timeout;

    CredentialHelper(String name, List<Path> searchPath, Duration timeout) throws CredentialsException {
        if (!NAME.matcher(name).matches()) {
            throw new CredentialsException("'" + name + "' is not a valid credential helper name");
        }
        this.name = name;
        this.searchPath = List.copyOf(searchPath);
        this.timeout = timeout;
    }

    String executableName() {
        return "docker-credential-" + name;
    }

    /** The credentials the helper holds for {@code serverUrl}; empty when it has none. */
    Optional<RegistryCredentials> get(String serverUrl) throws CredentialsException {
        Path executable = find().orElseThrow(() -> new CredentialsException("credential helper " + executableName()
                + " not found on the search path " + searchPath));
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CredentialsException("could not run " + executableName() + ": " + e.getMessage(), e);
        }
        byte[] output = null;
        try {
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readCapped(process.getInputStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the helper may exit without reading stdin; its exit code tells
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CredentialsException(executableName() + " did not answer within " + timeout);
            }
            output = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (output == null) {
                throw new CredentialsException(executableName() + " wrote more than " + MAX_OUTPUT_BYTES + " bytes");
            }
            if (process.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                    return Optional.empty();
                }
                throw new CredentialsException(executableName() + " failed with exit code " + process.exitValue()
                        + (text.isEmpty() ? "" : ": " + firstLine(text)));
            }
            return parse(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException("interrupted while running " + executableName(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CredentialsException("could not read the output of " + executableName(), e);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (output != null) {
                Arrays.fill(output, (byte) 0);
            }
        }
    }

    private Optional<RegistryCredentials> parse(byte[] output) throws CredentialsException {
        JsonNode json;
        try {
            json = JsonMappers.lenient().readTree(output);
        } catch (IOException e) {
            throw new CredentialsException(executableName() + " printed something that is not JSON");
        }
        String username = json == null ? "" : json.path("Username").asText("");
        String secret = json == null ? "" : json.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        char[] chars = secret.toCharArray();
        try {
            return Optional.of(IDENTITY_TOKEN_USER.equals(username)
                    ? RegistryCredentials.identityToken("", chars)
                    : RegistryCredentials.basic(username, chars));
        } catch (IllegalArgumentException e) {
            throw new CredentialsException(executableName() + " returned an unusable user name");
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private Optional<Path> find() {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(executableName());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads at most the cap; null when the helper wrote more, empty when the output could not be read. */
    private static byte[] readCapped(InputStream in) {
        try (in) {
            return CappedRead.readAtMost(in, MAX_OUTPUT_BYTES, "the helper's output");
        } catch (CappedRead.TooLargeException e) {
            return null;
        } catch (IOException e) {
            return new byte[0]; // the process was killed; an empty answer is "not JSON"
        }
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
