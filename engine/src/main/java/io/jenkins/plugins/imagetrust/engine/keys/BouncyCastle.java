package io.jenkins.plugins.imagetrust.engine.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One private BouncyCastle provider instance, used only for key-file decryption (PBES2, legacy OpenSSL PEM).
 * It is never registered in {@link java.security.Security}: signing stays with the JDK providers, and inside
 * Jenkins the bouncycastle-api plugin owns the registered one.
 */
final class BouncyCastle {
    private BouncyCastle() {
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    static Provider provider() {
        return Holder.PROVIDER;
    }
}
