package io.jenkins.plugins.imagetrust.engine.cosign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

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

    /** The exact bytes a DSSE signature is made over. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
