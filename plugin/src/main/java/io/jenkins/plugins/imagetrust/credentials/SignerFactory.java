package io.jenkins.plugins.imagetrust.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Config;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Signer;
import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Turns a Jenkins credential (or the global PKCS#11 settings) into an engine {@link Signer}, on the controller. Key
 * bytes and passphrases live in arrays that are cleared as soon as the engine has read them.
 */
public final class SignerFactory {
    /** A key file is a few KiB; anything far larger is not a key and is not read into memory. */
    static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    private SignerFactory() {}

    /**
     * The signer for credential {@code credentialsId}: an {@link ImageSigningKeyCredentials}, or a {@link
     * FileCredentials} key file whose passphrase, if any, is the {@link StringCredentials} {@code
     * passphraseCredentialsId}.
     */
    @NonNull
    public static Signer fromCredentials(
            @NonNull Run<?, ?> run, @NonNull String credentialsId, @CheckForNull String passphraseCredentialsId)
            throws IOException, KeyException {
        IdCredentials credential = Credentials.require(run, credentialsId, IdCredentials.class, "the signing key");
        if (credential instanceof ImageSigningKeyCredentials signingKey) {
            if (passphraseCredentialsId != null) {
                throw new AbortException(Messages.SignerFactory_PassphraseNotExpected(credentialsId));
            }
            return load(
                    Secret.toString(signingKey.getPrivateKey()).getBytes(StandardCharsets.UTF_8),
                    signingKey.getPassphrase());
        }
        if (credential instanceof FileCredentials keyFile) {
            Secret passphrase = passphraseCredentialsId == null
                    ? null
                    : Credentials.require(run, passphraseCredentialsId, StringCredentials.class, "the key passphrase")
                            .getSecret();
            return load(readCapped(keyFile, credentialsId), passphrase);
        }
        throw new AbortException(Messages.SignerFactory_UnsupportedCredential(
                credentialsId, credential.getClass().getSimpleName()));
    }

    /**
     * The signer in the hardware security module configured on the global page. Only jobs whose full name matches the
     * configured pattern may use it; with no pattern, none may (the PIN is a system credential, invisible to jobs).
     */
    @NonNull
    public static Signer fromHsm(@NonNull Run<?, ?> run, @NonNull ImageTrustConfiguration config)
            throws IOException, KeyException {
        if (!config.getHsm().isConfigured()) {
            throw new AbortException(Messages.SignerFactory_HsmNotConfigured());
        }
        String job = run.getParent().getFullName();
        if (!config.mayUseHsm(job)) {
            throw new AbortException(Messages.SignerFactory_HsmNotAllowed(job));
        }
        StringCredentials pinCredential = systemStringCredential(config.getPkcs11PinCredentialsId());
        CredentialsProvider.track(run, pinCredential);
        Pkcs11Config.Builder hsm =
                Pkcs11Config.builder(Path.of(config.getPkcs11ModulePath())).keyLabel(config.getPkcs11KeyAlias());
        if (config.getPkcs11Slot() != null) {
            try {
                hsm.slotId(Long.parseLong(config.getPkcs11Slot()));
            } catch (NumberFormatException e) {
                throw new AbortException("the PKCS#11 slot id on the Image Trust configuration page is not a number: "
                        + config.getPkcs11Slot());
            }
        } else {
            hsm.slotListIndex(0);
        }
        char[] pin = Secret.toString(pinCredential.getSecret()).toCharArray();
        try {
            return Pkcs11Signer.open(hsm.build(), pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** A SYSTEM- or GLOBAL-scoped secret text credential of Jenkins itself, looked up as the system. */
    private static StringCredentials systemStringCredential(String id) throws AbortException {
        List<StringCredentials> all = CredentialsProvider.lookupCredentialsInItemGroup(
                StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, Collections.<DomainRequirement>emptyList());
        StringCredentials found = CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(id));
        if (found == null) {
            throw new AbortException(Messages.Credentials_NotFound("the HSM PIN", id));
        }
        return found;
    }

    private static Signer load(byte[] pem, @CheckForNull Secret passphrase) throws KeyException {
        char[] passphraseChars = Secret.toString(passphrase).toCharArray();
        try {
            return PrivateKeys.loadSigner(pem, passphraseChars);
        } finally {
            Arrays.fill(pem, (byte) 0);
            Arrays.fill(passphraseChars, '\0');
        }
    }

    /** The key file's bytes; the capped read clears its buffers, so no stray copy of the key stays behind. */
    private static byte[] readCapped(FileCredentials keyFile, String credentialsId) throws IOException {
        try (InputStream in = keyFile.getContent()) {
            return CappedRead.readAtMost(in, MAX_KEY_FILE_BYTES, "the key file");
        } catch (CappedRead.TooLargeException e) {
            throw new AbortException(Messages.SignerFactory_KeyFileTooLarge(credentialsId, MAX_KEY_FILE_BYTES));
        }
    }
}
