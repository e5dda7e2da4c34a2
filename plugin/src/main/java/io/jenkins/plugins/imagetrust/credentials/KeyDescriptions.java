package io.jenkins.plugins.imagetrust.credentials;

import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Form-validation answers about keys: the engine parses, this class only turns the outcome into a {@link
 * FormValidation}. Never echoes key material or a passphrase.
 */
public final class KeyDescriptions {
    private KeyDescriptions() {}

    /** "ECDSA P-256, key id 3f2a…" for a private key that opens, or the engine's reason why it does not. */
    public static FormValidation describePrivateKey(String pem, String passphrase) {
        if (pem == null || pem.isBlank()) {
            return FormValidation.error(Messages.KeyDescriptions_NoPrivateKey());
        }
        byte[] pemBytes = pem.getBytes(StandardCharsets.UTF_8);
        char[] passphraseChars = passphrase == null ? new char[0] : passphrase.toCharArray();
        try (Signer signer = PrivateKeys.loadSigner(pemBytes, passphraseChars)) {
            return FormValidation.ok(Messages.KeyDescriptions_PrivateKeyOk(
                    PublicKeys.describe(signer.publicKey()), signer.keyId().hex()));
        } catch (KeyException e) {
            return FormValidation.error(e.getMessage());
        } finally {
            Arrays.fill(pemBytes, (byte) 0);
            Arrays.fill(passphraseChars, '\0');
        }
    }

    /** "ECDSA P-256, key id 3f2a…" for a public key or certificate PEM, or why it cannot be read. */
    public static FormValidation describePublicKey(String pem) {
        if (pem == null || pem.isBlank()) {
            return FormValidation.error(Messages.KeyDescriptions_NoPublicKey());
        }
        try {
            PublicKey key = PublicKeys.parse(pem);
            return FormValidation.ok(Messages.KeyDescriptions_PublicKeyOk(
                    PublicKeys.describe(key), KeyId.of(key).hex()));
        } catch (KeyException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
