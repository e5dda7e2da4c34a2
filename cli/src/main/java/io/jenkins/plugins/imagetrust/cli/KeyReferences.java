package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a {@code --key} names: a file, or (cosign's form) {@code env://VAR}, an environment variable holding the PEM,
 * so that a CI secret need never be written to disk.
 */
final class KeyReferences {
    static final String ENV_PREFIX = "env://";

    private KeyReferences() {
    }

    /** The key's PEM bytes. */
    static byte[] read(CliContext context, String reference) throws IOException, CliUsageException {
        if (reference.startsWith(ENV_PREFIX)) {
            String variable = reference.substring(ENV_PREFIX.length());
            if (variable.isEmpty()) {
                throw new CliUsageException("--key " + reference + ": name the environment variable, e.g. env://RELEASE_KEY");
            }
            String value = context.environment().get(variable);
            if (value == null || value.isBlank()) {
                throw new CliUsageException("--key " + reference + ": the environment variable " + variable + " is not set");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }
        return CappedRead.file(Path.of(reference), PublicKeys.MAX_PEM_BYTES, "--key");
    }

    /** The trusted public key {@code reference} names (PKIX PEM or X.509 certificate), named as {@link #name} says. */
    static TrustedKey trustedKey(CliContext context, String reference) throws IOException, CliUsageException, KeyException {
        try {
            return TrustedKey.builder(name(reference), PublicKeys.parse(new String(read(context, reference), StandardCharsets.US_ASCII))).build();
        } catch (KeyException e) {
            throw new KeyException(reference + ": " + e.getMessage(), e);
        }
    }

    /** How reports name the key: a file by its file name, a variable as {@code env://VAR}. */
    static String name(String reference) {
        if (reference.startsWith(ENV_PREFIX)) {
            return reference;
        }
        Path file = Path.of(reference).getFileName();
        return file == null ? reference : file.toString();
    }
}
