package io.jenkins.plugins.imagetrust.engine.keys;

/** Key types {@link KeyPairs#generate} can make: the ones cosign, skopeo and Notary accept. */
public enum KeyAlgorithm {
    /** ECDSA on NIST P-256: cosign's and Notary's default. */
    ECDSA_P256("ECDSA P-256"),
    ECDSA_P384("ECDSA P-384"),
    RSA_2048("RSA 2048"),
    RSA_3072("RSA 3072"),
    RSA_4096("RSA 4096"),
    ED25519("Ed25519");

    private final String description;

    KeyAlgorithm(String description) {
        this.description = description;
    }

    /** The same text as {@link PublicKeys#describe} gives for a key of this type. */
    public String description() {
        return description;
    }
}
