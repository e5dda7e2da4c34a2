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
        return open(context, key, passphraseEnv, false);
    }

    /**
     * As {@link #open(CliContext, String, String)}, but an encrypted key file is decrypted on a thread of its own
     * ({@link BackgroundSigner}) while the command goes on; its passphrase is still asked for here.
     */
    static Signer openInBackground(CliContext context, String key, String passphraseEnv) throws Exception {
        return open(context, key, passphraseEnv, true);
    }

    /** Throws the failure of {@code signer}'s background decryption if it has already failed (null: nothing). */
    static void failIfFailed(Signer signer) throws KeyException {
        if (signer instanceof BackgroundSigner background) {
            background.failIfFailed();
        }
    }

    private static Signer open(CliContext context, String key, String passphraseEnv, boolean inBackground) throws Exception {
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
        boolean handedOver = false;
        try {
            if (!PrivateKeys.needsPassphrase(pem)) {
                return PrivateKeys.loadSigner(pem, null);
            }
            String fromEnv = passphraseEnv == null ? null : context.environment().get(passphraseEnv);
            passphrase = fromEnv != null ? fromEnv.toCharArray() : Passwords.keyPassphrase(context, "the key " + file, false);
            if (inBackground) {
                char[] secret = passphrase;
                handedOver = true; // the decrypting thread clears both
                return BackgroundSigner.start(() -> decrypt(file, pem, secret));
            }
            return PrivateKeys.loadSigner(pem, passphrase);
        } catch (KeyException e) {
            throw new KeyException(file + ": " + e.getMessage(), e);
        } finally {
            if (!handedOver) {
                clear(pem, passphrase);
            }
        }
    }

    private static Signer decrypt(String file, byte[] pem, char[] passphrase) throws KeyException {
        try {
            return PrivateKeys.loadSigner(pem, passphrase);
        } catch (KeyException e) {
            throw new KeyException(file + ": " + e.getMessage(), e);
        } finally {
            clear(pem, passphrase);
        }
    }

    private static void clear(byte[] pem, char[] passphrase) {
        Arrays.fill(pem, (byte) 0);
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }
}
