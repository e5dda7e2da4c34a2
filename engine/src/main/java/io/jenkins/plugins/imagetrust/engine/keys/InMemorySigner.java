package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A {@link Signer} over a private key held in memory, signing with the JDK providers. ECDSA signatures are ASN.1
 * DER (as cosign writes them). After {@link #close()} the key reference is dropped and signing fails.
 */
public final class InMemorySigner implements Signer {
    private final PublicKey publicKey;
    private final SignatureScheme scheme;
    private volatile PrivateKey privateKey;

    /** A signer with the scheme cosign uses for this key type ({@link SignatureScheme#defaultFor}). */
    public InMemorySigner(KeyPair keyPair) throws KeyException {
        this(keyPair, defaultScheme(keyPair));
    }

    /** A signer with an explicit scheme, e.g. {@link SignatureScheme#RSA_PSS_SHA256} for Notary. */
    public InMemorySigner(KeyPair keyPair, SignatureScheme scheme) throws KeyException {
        if (keyPair == null || keyPair.getPrivate() == null || keyPair.getPublic() == null) {
            throw new KeyException("a key pair with both keys is required");
        }
        KeyMaterial.check(keyPair.getPublic()); // the same algorithm and size rules as for key files
        if (scheme == null || !scheme.fits(keyPair.getPublic())) {
            throw new KeyException("the scheme " + scheme + " does not fit a " + KeyMaterial.describe(keyPair.getPublic()) + " key");
        }
        this.publicKey = keyPair.getPublic();
        this.privateKey = keyPair.getPrivate();
        this.scheme = scheme;
    }

    private static SignatureScheme defaultScheme(KeyPair keyPair) throws KeyException {
        if (keyPair == null || keyPair.getPublic() == null) {
            throw new KeyException("a key pair with both keys is required");
        }
        try {
            return SignatureScheme.defaultFor(keyPair.getPublic());
        } catch (IllegalArgumentException e) {
            throw new KeyException("unsupported key type " + keyPair.getPublic().getAlgorithm() + ": use ECDSA P-256/P-384, RSA or Ed25519");
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

    @Override
    public byte[] sign(byte[] message) throws KeyException {
        PrivateKey key = privateKey;
        if (key == null) {
            throw new KeyException("the signer for key " + keyId().shortForm() + " is closed");
        }
        try {
            Signature signature = SignatureVerifier.newSignature(scheme);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new KeyException("signing with key " + keyId().shortForm() + " (" + scheme + ") failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Drops the private key. JDK key objects cannot be wiped reliably; this at least makes the signer unusable. */
    @Override
    public void close() {
        privateKey = null;
    }

    @Override
    public String toString() {
        return "InMemorySigner[" + KeyMaterial.describe(publicKey) + ", " + keyId().shortForm() + ", " + scheme + "]";
    }
}
