package io.jenkins.plugins.imagetrust.engine.notary.model;

import java.util.Arrays;
import java.util.Optional;

/** Notary key types ({@code keytype}). The {@code -x509} forms carry a PEM certificate instead of a bare key. */
public enum KeyType {
    ECDSA("ecdsa", false),
    ECDSA_X509("ecdsa-x509", true),
    RSA("rsa", false),
    RSA_X509("rsa-x509", true),
    ED25519("ed25519", false);

    private final String wireName;
    private final boolean certificate;

    KeyType(String wireName, boolean certificate) {
        this.wireName = wireName;
        this.certificate = certificate;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether {@code keyval.public} is a PEM certificate. */
    public boolean isCertificate() {
        return certificate;
    }

    public boolean isEcdsa() {
        return this == ECDSA || this == ECDSA_X509;
    }

    public boolean isRsa() {
        return this == RSA || this == RSA_X509;
    }

    public static Optional<KeyType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
