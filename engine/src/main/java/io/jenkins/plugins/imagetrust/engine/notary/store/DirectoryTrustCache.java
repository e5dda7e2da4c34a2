package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.notary.TufVerifier;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link TrustCache} in a folder, one sub-folder per repository (its name URL-encoded, so it is one safe
 * path segment): {@code root.json} and {@code versions.properties}. Files are replaced atomically.
 */
public final class DirectoryTrustCache implements TrustCache {
    private static final String ROOT_FILE = "root.json";
    private static final String VERSIONS_FILE = "versions.properties";
    private final Path directory;

    public DirectoryTrustCache(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    private Path repositoryDir(String gun) {
        MetadataNames.checkGun(gun);
        return directory.resolve(URLEncoder.encode(gun, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<byte[]> trustedRoot(String gun) {
        Path file = repositoryDir(gun).resolve(ROOT_FILE);
        try {
            return Files.isRegularFile(file) ? Optional.of(CappedRead.file(file, TufVerifier.Limits.DEFAULT.rootBytes(), "the cached root")) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trust cache " + file, e);
        }
    }

    @Override
    public long lastVersion(String gun, String role) {
        String value = versions(gun).getProperty(role);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            // A corrupted cache must not silently disable rollback protection.
            throw new IllegalStateException("the trust cache of " + gun + " holds a bad version for " + role + ": " + value, e);
        }
    }

    private Properties versions(String gun) {
        Properties properties = new Properties();
        Path file = repositoryDir(gun).resolve(VERSIONS_FILE);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the trust cache " + file, e);
            }
        }
        return properties;
    }

    @Override
    public synchronized void save(String gun, byte[] trustedRoot, Map<String, Long> roleVersions) {
        Path dir = repositoryDir(gun);
        Properties properties = versions(gun);
        roleVersions.forEach((role, version) -> {
            long previous = Long.parseLong(properties.getProperty(role, "0"));
            properties.setProperty(role, Long.toString(Math.max(previous, version)));
        });
        try {
            Files.createDirectories(dir);
            replace(dir.resolve(ROOT_FILE), out -> Files.write(out, trustedRoot));
            replace(dir.resolve(VERSIONS_FILE), out -> {
                try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    properties.store(writer, "highest accepted version per role of " + gun);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trust cache " + dir, e);
        }
    }

    private interface FileWriter {
        void write(Path file) throws IOException;
    }

    private static void replace(Path target, FileWriter writer) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            writer.write(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
