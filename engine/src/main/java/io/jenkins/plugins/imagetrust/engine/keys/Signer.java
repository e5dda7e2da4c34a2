package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.PublicKey;

/**
 * Something that signs with one private key: a key in memory, or a key inside a PKCS#11 token.
 * The private key never leaves the implementation.
 */
public interface Signer extends AutoCloseable {
    PublicKey publicKey();

    default KeyId keyId() {
        return KeyId.of(publicKey());
    }

    /** The scheme {@link #sign} uses; for ECDSA the result is ASN.1 DER. */
    SignatureScheme scheme();

    /** Signs exactly {@code message} (the scheme hashes it). */
    byte[] sign(byte[] message) throws KeyException;

    /** Releases the key (clears it from memory, logs out of the token). */
    @Override
    void close();
}
