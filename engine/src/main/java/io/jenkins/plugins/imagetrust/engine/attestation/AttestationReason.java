package io.jenkins.plugins.imagetrust.engine.attestation;

/**
 * Why one attestation did not count, or why a required attestation is missing. Each code is stable (it will appear in
 * JSON reports); the detail text beside it says the facts of the case.
 */
public enum AttestationReason {
    /** The attestation's layer or bundle could not be fetched intact (missing blob, wrong size, over the cap, unlistable referrers). */
    ATTESTATION_UNREADABLE("the attestation could not be read from the registry"),
    /** The DSSE envelope is not JSON, misses a member, is not base64, or is over its size cap. */
    ENVELOPE_MALFORMED("the DSSE envelope is malformed"),
    /** No trusted key verifies any signature of the envelope over its PAE: unknown key, or altered bytes. */
    SIGNATURE_INVALID("no trusted key verifies the envelope's signature (unknown key, or altered bytes)"),
    /** The only keys it verifies under are revoked. */
    KEY_REVOKED("the key that made it is revoked"),
    /** The key's validity window has not started. */
    KEY_NOT_YET_VALID("the key that made it is not valid yet"),
    /** The key's validity window has ended. */
    KEY_EXPIRED("the key that made it has expired"),
    /** The envelope's payloadType is not {@code application/vnd.in-toto+json}. */
    PAYLOAD_TYPE_NOT_IN_TOTO("the envelope's payload is not an in-toto statement"),
    /** The payload is not an in-toto statement (v1 or v0.1), or is over a size, subject or depth cap. */
    STATEMENT_MALFORMED("the in-toto statement does not parse"),
    /** No subject of the statement names the image digest. */
    ATTESTATION_SUBJECT_MISMATCH("the statement is about another digest"),
    /** The statement's predicateType is not one asked for. */
    PREDICATE_TYPE_NOT_REQUIRED("the statement's predicate type was not asked for"),
    /** Verified, but by none of the keys the requirement names. */
    KEY_NOT_ALLOWED("signed by a trusted key the requirement does not name"),
    /** A key that already counted for this requirement. */
    DUPLICATE_KEY("another attestation by the same key already counted"),
    /** The predicate's builder id is not the one required (equals or prefix). */
    BUILDER_ID_MISMATCH("the provenance names another builder"),
    /** The predicate's source repository is not the one required. */
    SOURCE_REPOSITORY_MISMATCH("the provenance names another source repository"),
    /** The predicate's build type is not the one required. */
    BUILD_TYPE_MISMATCH("the provenance has another build type"),
    /** A requirement with no verified attestation of its predicate type at all. */
    NO_ATTESTATION("no verified attestation of the required predicate type"),
    /** A requirement whose attestations counted for fewer distinct keys than its threshold. */
    ATTESTATION_THRESHOLD_NOT_MET("fewer distinct keys than the threshold attested it");

    private final String description;

    AttestationReason(String description) {
        this.description = description;
    }

    /** A sentence describing the reason in general; the detail beside it has the facts. */
    public String description() {
        return description;
    }
}
