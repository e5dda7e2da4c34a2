package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code image-trust public-key}: the public key of a private key, as {@code cosign public-key} prints it. */
@Command(name = "public-key", description = "Print the PEM public key (PKIX) of a private key, as cosign public-key does.")
final class PublicKeyCommand extends ContextCommand {
    @Option(names = "--key", required = true, paramLabel = "FILE|env://VAR|pkcs11:URI",
            description = "The private key, as for sign (passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt).")
    String key;

    @Option(names = "--outfile", paramLabel = "FILE", description = "Write it to this new file instead of stdout.")
    Path outfile;

    @Override
    public Integer call() throws Exception {
        String pem;
        try (Signer signer = Signers.open(context, key, null)) {
            pem = PublicKeys.toPem(signer.publicKey());
        }
        if (outfile != null) {
            Files.writeString(outfile, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        } else {
            context.out().print(pem);
            context.out().flush();
        }
        return ExitCodes.OK;
    }
}
