package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The signed certificate timestamps embedded in a certificate (RFC 6962 section 3.3, extension
 * {@code 1.3.6.1.4.1.11129.2.4.2}) and their verification: each SCT is a CT log's signature over the precertificate
 * (the TBSCertificate without the SCT extension) and the issuer's key hash, so a certificate carrying a valid SCT
 * from a trusted CT log was published before it could be used.
 */
final class EmbeddedScts {
    static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
    private static final int MAX_SCTS = 16;

    /** One SCT v1 as it is serialised (RFC 6962 section 3.2). */
    record Sct(byte[] logId, long timestampMillis, byte[] extensions, int hashAlgorithm, int signatureAlgorithm, byte[] signature) {
    }

    private EmbeddedScts() {
    }

    /**
     * Checks that at least one embedded SCT verifies with the key of a CT log of {@code root} whose window holds the
     * SCT's time. {@code issuer} is the certificate that issued {@code leaf}.
     */
    static void verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root) throws SigstoreException {
        List<Sct> scts = parse(leaf);
        if (scts.isEmpty()) {
            throw invalid("the certificate carries no SCT");
        }
        byte[] precertificate = precertificateTbs(leaf);
        byte[] issuerKeyHash = MerkleTree.sha256().digest(issuer.getPublicKey().getEncoded());
        List<String> problems = new ArrayList<>();
        for (Sct sct : scts) {
            Optional<TrustedRoot.Log> log = root.ctlog(sct.logId());
            if (log.isEmpty()) {
                problems.add("an SCT is from a CT log that is not in the trusted root");
                continue;
            }
            Instant time = Instant.ofEpochMilli(sct.timestampMillis());
            if (!log.get().validity().contains(time)) {
                problems.add("an SCT's time " + time + " is outside its CT log's validity " + log.get().validity());
                continue;
            }
            if (Signatures.verify(log.get().key(), signedData(sct, issuerKeyHash, precertificate), sct.signature())) {
                return;
            }
            problems.add("an SCT's signature does not verify with its CT log's key");
        }
        throw invalid(String.join("; ", problems));
    }

    static List<Sct> parse(X509Certificate leaf) throws SigstoreException {
        byte[] wrapped = leaf.getExtensionValue(SCT_LIST_OID);
        if (wrapped == null) {
            return List.of();
        }
        try {
            // extnValue is an OCTET STRING holding an OCTET STRING holding the TLS-encoded SignedCertificateTimestampList.
            byte[] inner = ASN1OctetString.getInstance(ASN1OctetString.getInstance(wrapped).getOctets()).getOctets();
            ByteBuffer list = ByteBuffer.wrap(inner);
            int total = Short.toUnsignedInt(list.getShort());
            if (total != list.remaining()) {
                throw invalid("the SCT list length does not match its content");
            }
            List<Sct> scts = new ArrayList<>();
            while (list.hasRemaining()) {
                if (scts.size() == MAX_SCTS) {
                    throw invalid("more than " + MAX_SCTS + " SCTs");
                }
                byte[] serialized = bytes(list, Short.toUnsignedInt(list.getShort()));
                scts.add(sct(ByteBuffer.wrap(serialized)));
            }
            return scts;
        } catch (RuntimeException e) {
            throw invalid("the SCT list extension is malformed");
        }
    }

    private static Sct sct(ByteBuffer in) throws SigstoreException {
        int version = Byte.toUnsignedInt(in.get());
        if (version != 0) {
            throw invalid("an SCT has version " + version + ", not v1 (0)");
        }
        byte[] logId = bytes(in, 32);
        long timestamp = in.getLong();
        byte[] extensions = bytes(in, Short.toUnsignedInt(in.getShort()));
        int hash = Byte.toUnsignedInt(in.get());
        int signatureAlgorithm = Byte.toUnsignedInt(in.get());
        byte[] signature = bytes(in, Short.toUnsignedInt(in.getShort()));
        if (in.hasRemaining()) {
            throw invalid("an SCT has trailing bytes");
        }
        return new Sct(logId, timestamp, extensions, hash, signatureAlgorithm, signature);
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out); // BufferUnderflowException (a RuntimeException) on truncation
        return out;
    }

    /** The TBSCertificate of {@code leaf} with the SCT list extension removed, DER: what the CT log signed. */
    static byte[] precertificateTbs(X509Certificate leaf) throws SigstoreException {
        try {
            ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(leaf.getTBSCertificate()));
            ASN1EncodableVector rebuilt = new ASN1EncodableVector();
            for (ASN1Encodable element : tbs) {
                if (element instanceof ASN1TaggedObject && ((ASN1TaggedObject) element).getTagNo() == 3) {
                    ASN1Sequence extensions = ASN1Sequence.getInstance((ASN1TaggedObject) element, true);
                    ASN1EncodableVector kept = new ASN1EncodableVector();
                    for (ASN1Encodable extension : extensions) {
                        if (!Extension.getInstance(extension).getExtnId().equals(new ASN1ObjectIdentifier(SCT_LIST_OID))) {
                            kept.add(extension);
                        }
                    }
                    rebuilt.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
                } else {
                    rebuilt.add(element);
                }
            }
            return new DERSequence(rebuilt).getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | IOException | RuntimeException e) {
            throw invalid("the certificate's TBSCertificate cannot be re-encoded without its SCTs");
        }
    }

    /** RFC 6962 section 3.2 {@code digitally-signed} struct of a precert entry. */
    private static byte[] signedData(Sct sct, byte[] issuerKeyHash, byte[] tbs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tbs.length + 64);
        out.write(0); // sct_version v1
        out.write(0); // signature_type certificate_timestamp
        out.writeBytes(ByteBuffer.allocate(8).putLong(sct.timestampMillis()).array());
        out.write(0);
        out.write(1); // entry_type precert_entry
        out.writeBytes(issuerKeyHash);
        out.write(tbs.length >>> 16);
        out.write(tbs.length >>> 8);
        out.write(tbs.length);
        out.writeBytes(tbs);
        out.write(sct.extensions().length >>> 8);
        out.write(sct.extensions().length);
        out.writeBytes(sct.extensions());
        return out.toByteArray();
    }

    private static SigstoreException invalid(String message) {
        return new SigstoreException(SigstoreReason.SCT_INVALID, "SCT: " + message);
    }
}
