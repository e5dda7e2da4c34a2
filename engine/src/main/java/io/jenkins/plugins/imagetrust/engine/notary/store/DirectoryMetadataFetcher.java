package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.files.FileErrors;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataTooLargeException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves one repository's metadata from a folder laid out like the server's ({@code root.json},
 * {@code targets/releases.json}…), e.g. an exported copy for offline verification. A checksum name
 * ({@code snapshot.<sha256 hex>}) is served from {@code snapshot.json} only if the file has that sha256,
 * as a server's checksum URL would. A versioned name ({@code 2.root}) is served from {@code 2.root.json}.
 */
public final class DirectoryMetadataFetcher implements MetadataFetcher {
    private final Path directory;

    public DirectoryMetadataFetcher(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public byte[] fetch(String gun, String name, long maxBytes) throws NotaryException {
        MetadataNames.checkName(name);
        String role = MetadataNames.roleOf(name);
        String checksum = MetadataNames.checksumOf(name);
        Path file = directory.resolve((checksum == null ? name : role) + ".json").normalize();
        if (!file.startsWith(directory)) {
            throw new IllegalArgumentException("not a Notary metadata name: '" + name + "'");
        }
        byte[] bytes = readCapped(file, role, gun, name, maxBytes);
        if (checksum != null && !checksum.equals(hex(checksum.length(), bytes))) {
            throw new MetadataNotFoundException(gun, name);
        }
        return bytes;
    }

    private static byte[] readCapped(Path file, String role, String gun, String name, long maxBytes) throws NotaryException {
        try (InputStream in = Files.newInputStream(file)) {
            return CappedRead.readAtMost(in, maxBytes, file.toString());
        } catch (CappedRead.TooLargeException e) {
            throw new MetadataTooLargeException(role, maxBytes);
        } catch (NoSuchFileException e) {
            throw new MetadataNotFoundException(gun, name);
        } catch (IOException e) {
            throw new NotaryException("cannot read " + file + ": " + FileErrors.describe(e), e);
        }
    }

    private static String hex(int hexLength, byte[] bytes) {
        String algorithm = switch (hexLength) {
            case 64 -> "SHA-256";
            case 96 -> "SHA-384";
            default -> "SHA-512";
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
