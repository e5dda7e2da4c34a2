package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Signer;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Uri;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.util.Arrays;

/** Opens the signer a {@code --key} option names: a key file (asking for its passphrase only if needed) or a PKCS#11 URI. */
final class Signers {
    private Signers() {
    }

    /**
     * @param key a key file path, {@code env://VAR} or a {@code pkcs11:} URI
     * @param passphraseEnv an environment variable tried first for this key's passphrase (null: the common ones)
     */
    static Signer open(CliContext context, String key, String passphraseEnv) throws Exception {
        if (Pkcs11Uri.isPkcs11Uri(key)) {
            Pkcs11Uri uri = Pkcs11Uri.parse(key);
            char[] pin = Passwords.pkcs11Pin(context, uri);
            try {
                return Pkcs11Signer.open(uri.config(), pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
        }
        String file = key; // named so in messages; never the key itself
        byte[] pem = KeyReferences.read(context, key);
        char[] passphrase = null;
        try {
            if (!PrivateKeys.needsPassphrase(pem)) {
                return PrivateKeys.loadSigner(pem, null);
            }
            String fromEnv = passphraseEnv == null ? null : context.environment().get(passphraseEnv);
            passphrase = fromEnv != null ? fromEnv.toCharArray() : Passwords.keyPassphrase(context, "the key " + file, false);
            return PrivateKeys.loadSigner(pem, passphrase);
        } catch (KeyException e) {
            throw new KeyException(file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(pem, (byte) 0);
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }
}
