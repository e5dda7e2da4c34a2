package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.sigstore.Bundle;

/**
 * Dead Simple Signing Envelope: what a DSSE signature covers. The signature is not over the payload but over its
 * pre-authentication encoding, {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths in ASCII decimal
 * bytes, so that a payload can never be re-read as another type (secure-systems-lab/dsse {@code protocol.md}).
 */
public final class Dsse {
    /** The payload type of an in-toto statement, the only one an image signature bundle carries. */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private Dsse() {
    }

    /** The exact bytes a DSSE signature is made over (one encoding for both readers: {@link Bundle#pae}). */
    public static byte[] pae(String payloadType, byte[] payload) {
        return Bundle.pae(payloadType, payload);
    }
}
