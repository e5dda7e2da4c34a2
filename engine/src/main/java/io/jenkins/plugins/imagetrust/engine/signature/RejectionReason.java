package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;

/**
 * Why one signature did not count. Each code is stable (it appears in JSON reports and in the plugin's
 * summary); the accompanying detail text says the facts of the case.
 */
public enum RejectionReason {
    /** The signature verifies under no trusted key: signed by an unknown key, or the payload was altered. */
    NO_TRUSTED_KEY("the signature verifies under no trusted key (unknown key, or the payload was altered)"),
    /** The only key it verifies under is revoked. */
    KEY_REVOKED("the key that made it is revoked"),
    /** The key's validity window has not started. */
    KEY_NOT_YET_VALID("the key that made it is not valid yet"),
    /** The key's validity window has ended. */
    KEY_EXPIRED("the key that made it has expired"),
    /** The same trusted key already counted for another signature. */
    DUPLICATE_KEY("another signature by the same key already counted"),
    /** The signature annotation is missing or not base64. */
    MALFORMED_SIGNATURE("the signature is missing or not valid base64"),
    /** The payload is not the expected JSON document. */
    MALFORMED_PAYLOAD("the payload is not a valid simple-signing document"),
    /** {@code critical.type} is not the cosign image signature type. */
    WRONG_TYPE("the payload's critical.type is not 'cosign container image signature'"),
    /** The payload has a {@code critical} member this verifier does not know: fail closed. */
    UNKNOWN_CRITICAL_MEMBER("the payload has an unknown member in 'critical'"),
    /** The payload signs another image digest. */
    DIGEST_MISMATCH("the payload signs another image digest"),
    /** The payload's docker-reference does not match the identity rule. */
    REFERENCE_MISMATCH("the payload names another repository or reference"),
    /** A required annotation is absent or has another value. */
    MISSING_ANNOTATION("a required annotation is absent or different"),
    /** The payload blob could not be fetched, was too large, or did not match its digest. */
    PAYLOAD_UNAVAILABLE("the payload could not be fetched intact"),
    /** A layer of another media type in the signature manifest. */
    UNSUPPORTED_LAYER("the layer is not a simple-signing signature"),
    /** A bundle's statement, message digest or referrer subject names another image digest. */
    SUBJECT_MISMATCH("the bundle's subject is another image digest"),
    /** A bundle's DSSE envelope cannot be checked: no payload type, no or empty signatures, not base64. */
    BAD_DSSE("the bundle's DSSE envelope is malformed"),
    /** A bundle's DSSE payload is not an in-toto statement. */
    UNKNOWN_PAYLOAD_TYPE("the bundle's DSSE payload type is not an in-toto statement"),
    /** The bundle (or its referrer manifest, or its statement) is not a valid Sigstore bundle of an image signature. */
    MALFORMED_BUNDLE("the bundle is not a valid Sigstore bundle"),
    /** The statement's predicateType is not cosign's image signature type (e.g. an SBOM or provenance attestation). */
    WRONG_PREDICATE_TYPE("the statement is not a cosign image signature (another predicateType)"),
    /** The only trusted identity whose rules the keyless signature meets is revoked. */
    IDENTITY_REVOKED("the trusted identity that made it is revoked"),
    /** That identity's validity window has not started. */
    IDENTITY_NOT_YET_VALID("the trusted identity that made it is not valid yet"),
    /** That identity's validity window has ended. */
    IDENTITY_EXPIRED("the trusted identity that made it has expired"),
    /** The same trusted identity already counted for another signature. */
    DUPLICATE_IDENTITY("another signature by the same trusted identity already counted"),
    // Keyless failures: one per SigstoreReason class, same names (see of(SigstoreReason)).
    /** The bundle's media type names a version this verifier does not know. */
    UNSUPPORTED_BUNDLE_VERSION("the bundle's version is not supported"),
    /** The trusted root is not a readable trusted_root.json. */
    MALFORMED_TRUSTED_ROOT("the trusted root cannot be read"),
    /** A key where a certificate is expected, or the reverse. */
    WRONG_MATERIAL("the verification material is of the wrong kind"),
    /** The keyless material signs another artifact digest. */
    ARTIFACT_MISMATCH("the keyless signature is over another artifact"),
    /** The keyless signature does not verify with its certificate's key. */
    SIGNATURE_INVALID("the signature does not verify with its certificate's key"),
    /** The certificate does not chain to a Fulcio CA of the trusted root valid at the signing time. */
    CERTIFICATE_UNTRUSTED("the certificate does not chain to a certificate authority of the trusted root"),
    /** A proven signing time lies outside the certificate's validity. */
    CERTIFICATE_NOT_VALID_AT_SIGNING_TIME("the signing time lies outside the certificate's validity"),
    /** The certificate's SCT is missing or does not verify with a CT log key of the trusted root. */
    SCT_INVALID("the certificate's SCT is missing or invalid"),
    /** The log entry names a log not in the trusted root, or not valid then. */
    TLOG_UNTRUSTED("the transparency log is not trusted"),
    /** The log entry does not record this signature, certificate and artifact. */
    TLOG_ENTRY_MISMATCH("the transparency log entry records something else"),
    /** The signed entry timestamp does not verify with the log's key. */
    SET_INVALID("the transparency log's signed entry timestamp is invalid"),
    /** The inclusion proof does not lead to the proven root hash. */
    INCLUSION_PROOF_INVALID("the inclusion proof is invalid"),
    /** The checkpoint is malformed, not signed by the log, or names another tree. */
    CHECKPOINT_INVALID("the log checkpoint is invalid"),
    /** An RFC 3161 timestamp cannot be read, fails, or does not cover the signature. */
    TIMESTAMP_INVALID("the RFC 3161 timestamp is invalid"),
    /** An RFC 3161 timestamp is not from a timestamp authority of the trusted root. */
    TIMESTAMP_UNTRUSTED("the RFC 3161 timestamp is not from a trusted authority"),
    /** Nothing proves when the certificate was used. */
    NO_SIGNING_TIME("nothing proves when the certificate was used"),
    /** The certificate's subject alternative name matches no trusted identity. */
    IDENTITY_MISMATCH("the certificate names another identity"),
    /** The certificate's OIDC issuer matches no trusted identity. */
    ISSUER_MISMATCH("the certificate was issued for another OIDC issuer");

    /** Whether this is no fault: a good signature by a key or identity that already counted (the other format's copy). */
    public boolean isDuplicate() {
        return this == DUPLICATE_KEY || this == DUPLICATE_IDENTITY;
    }

    /** The reason code of a keyless failure: the same name as its {@link SigstoreReason}. */
    public static RejectionReason of(SigstoreReason reason) {
        return valueOf(reason.name());
    }

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    /** A sentence describing the reason in general; {@code SignatureCheck.detail()} has the facts. */
    public String description() {
        return description;
    }
}
