package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.CosignKeyFile;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code image-trust generate-key-pair}: a key pair in cosign's encrypted format, usable by cosign and skopeo too. */
@Command(name = "generate-key-pair",
        description = {"Write NAME.key (encrypted private key, cosign format) and NAME.pub (PKIX public key).",
                "The passphrase comes from IMAGE_TRUST_PASSWORD (or COSIGN_PASSWORD), else a prompt; it may be empty."})
final class GenerateKeyPairCommand extends ContextCommand {
    @Option(names = "--output-key-prefix", paramLabel = "NAME", defaultValue = "cosign",
            description = "Prefix of the files written (default: ${DEFAULT-VALUE}).")
    Path prefix;

    @Option(names = "--legacy-pem-type",
            description = "Write PEM type 'ENCRYPTED COSIGN PRIVATE KEY' (readable by skopeo 1.9 and cosign 1) instead of 'ENCRYPTED SIGSTORE PRIVATE KEY'.")
    boolean legacyPemType;

    @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ECDSA_P256",
            description = "Key algorithm: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, what cosign uses).")
    KeyAlgorithm algorithm;

    @Option(names = {"-q", "--quiet"}, description = "Print only the key id.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Path keyFile = Path.of(prefix + ".key");
        Path pubFile = Path.of(prefix + ".pub");
        for (Path file : new Path[] {keyFile, pubFile}) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file + " exists; not overwriting a key");
            }
        }
        char[] passphrase = Passwords.keyPassphrase(context, "the new key " + keyFile, true);
        byte[] encrypted;
        KeyPair pair;
        try {
            pair = KeyPairs.generate(algorithm);
            encrypted = CosignKeyFile.encrypt(pair.getPrivate(), passphrase,
                    legacyPemType ? CosignKeyFile.PemType.COSIGN : CosignKeyFile.PemType.SIGSTORE);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        writePrivate(keyFile, encrypted);
        Files.writeString(pubFile, PublicKeys.toPem(pair.getPublic()), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        KeyId id = KeyId.of(pair.getPublic());
        if (!quiet) {
            context.err().println("Wrote " + keyFile + " (private, encrypted) and " + pubFile + " (public); its key id follows on stdout");
        }
        context.out().println(id);
        context.out().flush();
        return ExitCodes.OK;
    }

    /** Owner-only from the first byte on, where the file system supports POSIX permissions. */
    private static void writePrivate(Path file, byte[] content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
