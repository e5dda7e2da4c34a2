package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundSignerTest {
    @Test
    void usesWaitForTheDecryptionAndSignWithTheKey() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        CountDownLatch release = new CountDownLatch(1);
        try (BackgroundSigner signer = BackgroundSigner.start(() -> {
            release.await();
            return new InMemorySigner(pair);
        })) {
            signer.failIfFailed(); // still decrypting: returns at once
            release.countDown();
            assertThat(signer.publicKey()).isEqualTo(pair.getPublic());
            byte[] message = "payload".getBytes(StandardCharsets.UTF_8);
            assertThat(SignatureVerifier.verify(pair.getPublic(), signer.scheme(), message, signer.sign(message))).isTrue();
        }
    }

    @Test
    void aFailedDecryptionIsThrownByEveryUseWithItsMessage() throws Exception {
        BackgroundSigner signer = BackgroundSigner.start(() -> {
            throw new KeyException("release.key: bad passphrase or corrupted key");
        });
        assertThatThrownBy(signer::await).isInstanceOf(KeyException.class).hasMessage("release.key: bad passphrase or corrupted key");
        assertThatThrownBy(signer::failIfFailed).isInstanceOf(KeyException.class).hasMessage("release.key: bad passphrase or corrupted key");
        assertThatThrownBy(() -> signer.sign(new byte[1])).isInstanceOf(KeyException.class).hasMessageContaining("bad passphrase");
        assertThatThrownBy(signer::publicKey).isInstanceOf(IllegalStateException.class)
                .hasMessage("release.key: bad passphrase or corrupted key");
        signer.close(); // nothing to clear, and no exception
    }

    @Test
    void closeWaitsForTheDecryptionAndClosesTheKey() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        BackgroundSigner signer = BackgroundSigner.start(() -> {
            started.countDown();
            Thread.sleep(200);
            return new ClosingSigner(new InMemorySigner(pair), closed);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        signer.close();
        assertThat(closed).isTrue();
    }

    /** A real signer that records its close. */
    private record ClosingSigner(Signer delegate, AtomicBoolean closed) implements Signer {
        @Override
        public java.security.PublicKey publicKey() {
            return delegate.publicKey();
        }

        @Override
        public io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme scheme() {
            return delegate.scheme();
        }

        @Override
        public byte[] sign(byte[] message) throws KeyException {
            return delegate.sign(message);
        }

        @Override
        public void close() {
            delegate.close();
            closed.set(true);
        }
    }
}
