package io.jenkins.plugins.imagetrust.engine.sigstore;

/**
 * Why a Sigstore bundle was rejected: one code per failure class, so that a report (and a test) can say which
 * check failed, not just that one did.
 */
public enum SigstoreReason {
    /** The bundle is not a readable Sigstore bundle (JSON, base64, required fields, sizes). */
    MALFORMED_BUNDLE,
    /** The bundle's mediaType names a version this verifier does not know. */
    UNSUPPORTED_BUNDLE_VERSION,
    /** The trusted root is not a readable {@code trusted_root.json}. */
    MALFORMED_TRUSTED_ROOT,
    /** The bundle carries a certificate where the policy expects a key, or a key where it expects an identity. */
    WRONG_MATERIAL,
    /** The artifact (its digest, or a subject of the in-toto statement) is not what the bundle signs. */
    ARTIFACT_MISMATCH,
    /** The signature does not verify with the certificate's (or the given) key. */
    SIGNATURE_INVALID,
    /** The certificate does not chain to a certificate authority of the trusted root valid at the signing time. */
    CERTIFICATE_UNTRUSTED,
    /** A proven signing time lies outside the certificate's validity. */
    CERTIFICATE_NOT_VALID_AT_SIGNING_TIME,
    /** The certificate's SCT is missing or does not verify with a CT log key of the trusted root. */
    SCT_INVALID,
    /** The log entry names a transparency log that is not in the trusted root, or not valid at that time. */
    TLOG_UNTRUSTED,
    /** The log entry's body does not record this signature, certificate or key, and artifact digest. */
    TLOG_ENTRY_MISMATCH,
    /** The signed entry timestamp (Rekor v1 inclusion promise) does not verify with the log's key. */
    SET_INVALID,
    /** The inclusion proof does not lead from the entry to the proven root hash. */
    INCLUSION_PROOF_INVALID,
    /** The checkpoint is malformed, not signed by the log, or names another tree than the proof. */
    CHECKPOINT_INVALID,
    /** An RFC 3161 timestamp cannot be read, its signature fails, or it does not cover the signature. */
    TIMESTAMP_INVALID,
    /** An RFC 3161 timestamp is not from a timestamp authority of the trusted root valid at its time. */
    TIMESTAMP_UNTRUSTED,
    /** Nothing proves when the certificate was used (no verified SET time, no verified timestamp). */
    NO_SIGNING_TIME,
    /** The certificate's subject alternative name does not match the policy. */
    IDENTITY_MISMATCH,
    /** The certificate's OIDC issuer extension does not match the policy. */
    ISSUER_MISMATCH
}
