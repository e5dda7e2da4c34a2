package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.nio.file.Path;

/**
 * Decrypts the key file given as the only argument (passphrase from {@code IMAGE_TRUST_PASSWORD}) and exits. The
 * benchmarks run it from the shaded jar as the floor of any command that opens a cosign key in a fresh JVM: the JVM's
 * start plus the key's scrypt (docs/performance.md, benchmark 5c). It prints nothing of the key.
 */
public final class DecryptKeyOnly {
    private DecryptKeyOnly() {
    }

    public static void main(String[] args) throws Exception {
        String passphrase = System.getenv("IMAGE_TRUST_PASSWORD");
        byte[] pem = CappedRead.file(Path.of(args[0]), PublicKeys.MAX_PEM_BYTES, "the key file");
        try (Signer signer = PrivateKeys.loadSigner(pem, passphrase == null ? null : passphrase.toCharArray())) {
            if (signer.publicKey() == null) {
                throw new IllegalStateException("no key was decrypted");
            }
        }
    }
}
