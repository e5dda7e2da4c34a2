package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A signer whose key is decrypted on a thread of its own, started when the key is opened: a cosign key's scrypt
 * (N = 32768) costs 150–300 ms of CPU in a fresh JVM, which thus overlaps the command's network work (TLS set-up,
 * the manifest, the Notary trust data and its verification) instead of preceding it. Every use of the key waits for
 * the decryption; its failure (a wrong passphrase) is thrown by the first use, or earlier by {@link #failIfFailed}.
 * The key is held in memory only, as by the signer it wraps, and {@link #close} clears it.
 */
final class BackgroundSigner implements Signer {
    private final FutureTask<Signer> decryption;

    private BackgroundSigner(Callable<Signer> decrypt) {
        this.decryption = new FutureTask<>(decrypt);
    }

    /** Starts {@code decrypt} on a daemon thread (it must clear its own inputs: it owns them). */
    static BackgroundSigner start(Callable<Signer> decrypt) {
        BackgroundSigner signer = new BackgroundSigner(decrypt);
        Thread thread = new Thread(signer.decryption, "image-trust-key-decryption");
        thread.setDaemon(true); // never keeps a failed command's JVM alive; close() waits for it where it matters
        thread.start();
        return signer;
    }

    /** The decrypted signer, waiting for it. */
    Signer await() throws KeyException {
        try {
            return decryption.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KeyException keyException) {
                throw new KeyException(keyException.getMessage(), keyException);
            }
            throw new KeyException("the key could not be read: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyException("interrupted while decrypting the key", e);
        }
    }

    /** Throws the decryption's failure if it has already failed; never waits. */
    void failIfFailed() throws KeyException {
        if (decryption.isDone()) {
            await();
        }
    }

    private Signer key() {
        try {
            return await();
        } catch (KeyException e) {
            // Signer.publicKey() declares nothing: the same message, unchecked.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return key().publicKey();
    }

    @Override
    public SignatureScheme scheme() {
        return key().scheme();
    }

    @Override
    public byte[] sign(byte[] message) throws KeyException {
        return await().sign(message);
    }

    /** Waits for the decryption (so no decrypted key outlives this) and closes the key, clearing it. */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    decryption.get().close();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the key must still be cleared: wait on
                } catch (ExecutionException e) {
                    return; // nothing was decrypted: nothing to clear
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
