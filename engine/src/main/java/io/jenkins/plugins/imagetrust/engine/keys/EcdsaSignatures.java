package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Converts ECDSA signatures between ASN.1 DER ({@code SEQUENCE {r INTEGER, s INTEGER}}, what cosign and the JDK's
 * {@code SHA256withECDSA} use) and raw fixed-width r‖s (what Notary's {@code ecdsa} method and PKCS#11
 * {@code CKM_ECDSA} use: 64 bytes for P-256, 96 for P-384). Both directions are strict.
 */
public final class EcdsaSignatures {
    private EcdsaSignatures() {
    }

    /** The width of r and of s in raw form for {@code key}'s curve: 32 for P-256, 48 for P-384. */
    public static int scalarBytes(PublicKey key) throws KeyException {
        if (!(key instanceof ECKey)) {
            throw new KeyException("not an EC key: " + key.getAlgorithm());
        }
        return (((ECKey) key).getParams().getOrder().bitLength() + 7) / 8;
    }

    /** Raw r‖s, each left-padded to {@code scalarBytes} (32 for P-256, 48 for P-384). */
    public static byte[] derToRaw(byte[] der, int scalarBytes) throws KeyException {
        if (der == null || der.length < 8 || der.length > 2 * scalarBytes + 16) {
            throw new KeyException("not a DER ECDSA signature: wrong length " + (der == null ? 0 : der.length));
        }
        BigInteger r;
        BigInteger s;
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (sequence.size() != 2) {
                throw new KeyException("not a DER ECDSA signature: the sequence has " + sequence.size() + " elements, not 2");
            }
            r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
            s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
            if (!Arrays.equals(sequence.getEncoded(ASN1Encoding.DER), der)) {
                throw new KeyException("not a DER ECDSA signature: not in canonical DER form");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyException("not a DER ECDSA signature: malformed ASN.1");
        }
        byte[] raw = new byte[2 * scalarBytes];
        put(r, raw, 0, scalarBytes);
        put(s, raw, scalarBytes, scalarBytes);
        return raw;
    }

    /** DER for a raw r‖s signature (two equal halves). */
    public static byte[] rawToDer(byte[] raw) throws KeyException {
        if (raw == null || raw.length == 0 || raw.length % 2 != 0 || raw.length > 264) {
            throw new KeyException("not a raw r||s ECDSA signature: length " + (raw == null ? 0 : raw.length) + " is not even");
        }
        int half = raw.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length));
        if (r.signum() == 0 || s.signum() == 0) {
            throw new KeyException("not a valid ECDSA signature: r or s is zero");
        }
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
    }

    private static void put(BigInteger value, byte[] out, int offset, int width) throws KeyException {
        if (value.signum() <= 0 || value.bitLength() > 8 * width) {
            throw new KeyException("not a valid ECDSA signature: r or s is out of range for " + width + "-byte scalars");
        }
        byte[] bytes = value.toByteArray(); // may carry a leading zero sign byte
        int length = bytes.length;
        int from = 0;
        if (length > width) {
            from = length - width;
            length = width;
        }
        System.arraycopy(bytes, from, out, offset + width - length, length);
    }
}
