package io.jenkins.plugins.imagetrust.engine.notary.model;

import java.util.Arrays;
import java.util.Optional;

/** Notary signature methods ({@code method}) and the key types each may be used with. */
public enum SignatureMethod {
    /** ECDSA over SHA-256, raw r‖s (64 bytes for P-256), not DER. */
    ECDSA("ecdsa"),
    /** RSASSA-PSS, SHA-256, salt length 32. */
    RSA_PSS("rsapss"),
    /** RSA PKCS#1 v1.5, SHA-256. */
    RSA_PKCS1V15("rsapkcs1v15"),
    /** Ed25519 over the message itself. */
    EDDSA("eddsa");

    private final String wireName;

    SignatureMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a key of {@code type} can make signatures of this method (guards algorithm confusion). */
    public boolean fits(KeyType type) {
        return switch (this) {
            case ECDSA -> type.isEcdsa();
            case RSA_PSS, RSA_PKCS1V15 -> type.isRsa();
            case EDDSA -> type == KeyType.ED25519;
        };
    }

    public static Optional<SignatureMethod> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
}
