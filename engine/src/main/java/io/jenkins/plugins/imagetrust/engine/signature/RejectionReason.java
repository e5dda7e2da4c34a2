package io.jenkins.plugins.imagetrust.engine.signature;

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
    WRONG_PREDICATE_TYPE("the statement is not a cosign image signature (another predicateType)");

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    /** A sentence describing the reason in general; {@code SignatureCheck.detail()} has the facts. */
    public String description() {
        return description;
    }
}
