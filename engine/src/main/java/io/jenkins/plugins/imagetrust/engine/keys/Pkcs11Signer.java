package io.jenkins.plugins.imagetrust.engine.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Signer} whose private key stays inside a PKCS#11 token, through the JDK's SunPKCS11 provider. The
 * provider is configured per module and slot (never registered globally); signers on the same slot share its login
 * ({@link Pkcs11Logins}: a second open still needs the right PIN, and the token is logged out when the last signer
 * closes). ECDSA signatures come out as DER (SunPKCS11 converts the token's raw r‖s; where the token
 * has no combined ECDSA-SHA256 mechanism, as SoftHSM, it hashes in software). The public key is the one in the
 * certificate stored with the key; {@link #open} proves with a test signature that the two belong together.
 * Ed25519 is not possible: SunPKCS11 has no EdDSA.
 */
public final class Pkcs11Signer implements Signer {
    private static final byte[] PROBE = "image-trust PKCS#11 key check".getBytes(StandardCharsets.US_ASCII);
    private final Pkcs11Logins.Login login;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final SignatureScheme scheme;
    private final String alias;
    private boolean closed;

    private Pkcs11Signer(Pkcs11Logins.Login login, PrivateKey privateKey, PublicKey publicKey, SignatureScheme scheme, String alias) {
        this.login = login;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.scheme = scheme;
        this.alias = alias;
    }

    /** Opens the key with the cosign default scheme for its type. */
    public static Pkcs11Signer open(Pkcs11Config config, char[] pin) throws KeyException {
        return open(config, pin, null);
    }

    /**
     * Loads the module, logs in to the slot with {@code pin} (the caller's array is not modified; the copy used is
     * cleared) and finds the key. {@code scheme} null means {@link SignatureScheme#defaultFor}.
     */
    public static Pkcs11Signer open(Pkcs11Config config, char[] pin, SignatureScheme scheme) throws KeyException {
        if (pin == null) {
            throw new KeyException("a PIN is required to use the PKCS#11 key (" + config + ")");
        }
        Pkcs11Logins.Login login = Pkcs11Logins.acquire(config, pin);
        boolean opened = false;
        try {
            KeyStore keyStore = Pkcs11Logins.keyStore(login, config);
            String alias = chooseAlias(keyStore, config);
            Key key = keyStore.getKey(alias, null);
            Certificate certificate = keyStore.getCertificate(alias);
            if (!(key instanceof PrivateKey) || certificate == null) {
                throw new KeyException("PKCS#11 entry '" + alias + "' is not a private key with a certificate (" + config + ")");
            }
            PublicKey publicKey = checkedPublicKey(certificate.getPublicKey(), alias);
            SignatureScheme chosen = scheme == null ? SignatureScheme.defaultFor(publicKey) : scheme;
            if (!chosen.fits(publicKey) || chosen == SignatureScheme.ED25519) {
                throw new KeyException("the scheme " + chosen + " cannot be used with the PKCS#11 key '" + alias + "' ("
                        + KeyMaterial.describe(publicKey) + ")");
            }
            Pkcs11Signer signer = new Pkcs11Signer(login, (PrivateKey) key, publicKey, chosen, alias);
            signer.checkKeyMatchesCertificate();
            opened = true;
            return signer;
        } catch (GeneralSecurityException e) {
            throw new KeyException("could not read the key from the PKCS#11 token (" + config + "): " + e.getMessage(), e);
        } finally {
            if (!opened) {
                Pkcs11Logins.release(login);
            }
        }
    }

    private static String chooseAlias(KeyStore keyStore, Pkcs11Config config) throws KeyException, GeneralSecurityException {
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        String hint = " (SunPKCS11 lists a private key only when a certificate with the same CKA_ID is on the token; private keys it sees: "
                + keyAliases + ")";
        if (config.keyLabel().isPresent()) {
            String label = config.keyLabel().get();
            if (!keyAliases.contains(label)) {
                throw new KeyException("no private key labelled '" + label + "' in " + config.slotDescription() + hint);
            }
            return label;
        }
        byte[] id = config.keyIdBytes();
        if (id != null) {
            // SunPKCS11 names an entry whose certificate has no label by its CKA_ID: "0x" + hex, or the id itself if printable
            String hexName = "0x" + config.keyId().get().toUpperCase(Locale.ROOT);
            String textName = new String(id, StandardCharsets.ISO_8859_1);
            for (String alias : keyAliases) {
                if (alias.equalsIgnoreCase(hexName) || alias.equals(textName)) {
                    return alias;
                }
            }
            throw new KeyException("no private key with CKA_ID " + config.keyId().get() + " in " + config.slotDescription()
                    + "; a key whose certificate has a label is found by that label instead" + hint);
        }
        if (keyAliases.size() != 1) {
            throw new KeyException((keyAliases.isEmpty() ? "no private key" : keyAliases.size() + " private keys") + " in "
                    + config.slotDescription() + ": give the key's label or id" + hint);
        }
        return keyAliases.get(0);
    }

    private static PublicKey checkedPublicKey(PublicKey certificateKey, String alias) throws KeyException {
        try {
            return KeyMaterial.check(certificateKey);
        } catch (KeyException e) {
            throw new KeyException("PKCS#11 key '" + alias + "': " + e.getMessage());
        }
    }

    /** Fails closed when the certificate beside the key holds another key (a mislabelled token). */
    private void checkKeyMatchesCertificate() throws KeyException {
        if (!SignatureVerifier.verify(publicKey, scheme, PROBE, sign(PROBE))) {
            throw new KeyException("PKCS#11 key '" + alias + "' does not match the public key in its certificate");
        }
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public SignatureScheme scheme() {
        return scheme;
    }

    /** The key's name on the token (its certificate's label, or {@code 0x}+CKA_ID). */
    public String alias() {
        return alias;
    }

    @Override
    public synchronized byte[] sign(byte[] message) throws KeyException {
        if (closed) {
            throw new KeyException("the PKCS#11 signer for key '" + alias + "' is closed");
        }
        try {
            Signature signature = SignatureVerifier.newSignature(scheme, login.provider());
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyException("the PKCS#11 token could not sign with key '" + alias + "' (" + scheme + "): " + Pkcs11Logins.rootMessage(e), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Pkcs11Logins.release(login);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Signer[" + alias + ", " + KeyMaterial.describe(publicKey) + ", " + keyId().shortForm() + ", " + scheme + "]";
    }
}
