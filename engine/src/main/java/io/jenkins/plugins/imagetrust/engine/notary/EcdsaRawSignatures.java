package io.jenkins.plugins.imagetrust.engine.notary;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Converts ECDSA signatures between Notary's raw r‖s (each half as wide as the curve's field) and the ASN.1
 * DER form the JDK produces and checks. The only place in the engine's Notary code that does so.
 */
final class EcdsaRawSignatures {
    private EcdsaRawSignatures() {
    }

    /** Bytes of r‖s for the key's curve: 64 for P-256, 96 for P-384, 132 for P-521 (notary's length check). */
    static int rawLength(ECPublicKey key) {
        return 2 * ((key.getParams().getCurve().getField().getFieldSize() + 7) / 8);
    }

    /** DER {@code SEQUENCE {r, s}} for a raw signature; the caller checked the length. */
    static byte[] rawToDer(byte[] raw) {
        int half = raw.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length));
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
    }

    /** Raw r‖s, each left-padded to {@code rawLength / 2}, from a DER signature. */
    static byte[] derToRaw(byte[] der, int rawLength) {
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a DER ECDSA signature", e);
        }
        if (sequence.size() != 2) {
            throw new IllegalArgumentException("a DER ECDSA signature has two integers, not " + sequence.size());
        }
        int half = rawLength / 2;
        byte[] raw = new byte[rawLength];
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue(), raw, 0, half);
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue(), raw, half, half);
        return raw;
    }

    private static void copyUnsigned(BigInteger value, byte[] target, int offset, int width) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; // drop the sign byte
        int length = bytes.length - start;
        if (length > width) {
            throw new IllegalArgumentException("an ECDSA integer is wider than the curve");
        }
        System.arraycopy(bytes, start, target, offset + width - length, length);
    }
}
