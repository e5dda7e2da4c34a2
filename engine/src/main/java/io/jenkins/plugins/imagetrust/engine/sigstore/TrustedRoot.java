package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A Sigstore trusted root ({@code sigstore/protobuf-specs protos/sigstore_trustroot.proto}, {@code TrustedRoot} in
 * protobuf JSON): the Fulcio certificate authorities, the Rekor transparency logs, the certificate-transparency logs
 * and the RFC 3161 timestamp authorities a verification may trust, each with the window it may be trusted in. It is
 * the only source of trust: nothing is fetched. Reading is strict and capped; an entry that cannot be used (a key
 * that does not parse, a certificate that is not X.509) makes the whole root unreadable, rather than silently
 * trusting less than the admin pinned.
 */
public final class TrustedRoot {
    /** A trusted root larger than this is not read (the public-good root is some 8 KiB). */
    public static final int MAX_BYTES = 1 << 20;
    /** More entries than this in one list is not a trusted root. */
    public static final int MAX_ENTRIES = 64;
    /** A certificate chain longer than this is not a Sigstore chain. */
    static final int MAX_CHAIN_CERTIFICATES = 10;
    /** The media types of the versions read (v0.1 and v0.2 share the JSON layout). */
    public static final List<String> MEDIA_TYPES = List.of(
            "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "application/vnd.dev.sigstore.trustedroot.v0.2+json");

    /** {@code validFor}: from {@code start}, up to and including {@code end} when there is one. */
    public record Validity(Instant start, Optional<Instant> end) {
        public Validity {
            Objects.requireNonNull(start);
            Objects.requireNonNull(end);
        }

        /** Whether {@code time} lies in the window; the end is inclusive, as the Sigstore clients read it. */
        public boolean contains(Instant time) {
            return !time.isBefore(start) && end.map(e -> !time.isAfter(e)).orElse(true);
        }

        @Override
        public String toString() {
            return "from " + start + end.map(e -> " to " + e + " (inclusive)").orElse(", open-ended");
        }
    }

    /** A transparency log (Rekor) or certificate-transparency log: its id (key hash), key and window. */
    public record Log(String baseUrl, byte[] logId, PublicKey key, Validity validity) {
        public Log {
            logId = logId.clone();
        }

        @Override
        public byte[] logId() {
            return logId.clone();
        }

        boolean hasId(byte[] id) {
            return Arrays.equals(logId, id);
        }
    }

    /** A certificate authority (Fulcio) or timestamp authority: its chain, leaf first and root last, and window. */
    public record Authority(String uri, List<X509Certificate> chain, Validity validity) {
        public Authority {
            chain = List.copyOf(chain);
        }
    }

    private final List<Log> tlogs;
    private final List<Log> ctlogs;
    private final List<Authority> certificateAuthorities;
    private final List<Authority> timestampAuthorities;

    private TrustedRoot(List<Log> tlogs, List<Log> ctlogs, List<Authority> certificateAuthorities, List<Authority> timestampAuthorities) {
        this.tlogs = List.copyOf(tlogs);
        this.ctlogs = List.copyOf(ctlogs);
        this.certificateAuthorities = List.copyOf(certificateAuthorities);
        this.timestampAuthorities = List.copyOf(timestampAuthorities);
    }

    /** Reads {@code trusted_root.json}; {@link SigstoreReason#MALFORMED_TRUSTED_ROOT} names what is wrong. */
    public static TrustedRoot parse(byte[] bytes) throws SigstoreException {
        SigstoreJson json = new SigstoreJson(SigstoreReason.MALFORMED_TRUSTED_ROOT, "trusted root");
        JsonNode root = json.readObject(bytes, MAX_BYTES);
        String mediaType = json.text(root, "mediaType", "");
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw json.error("mediaType '" + mediaType + "' is not one of " + MEDIA_TYPES);
        }
        List<Log> tlogs = new ArrayList<>();
        for (JsonNode node : json.array(root, "tlogs", MAX_ENTRIES, "")) {
            tlogs.add(log(json, node, "tlogs[" + tlogs.size() + "]."));
        }
        List<Log> ctlogs = new ArrayList<>();
        for (JsonNode node : json.array(root, "ctlogs", MAX_ENTRIES, "")) {
            ctlogs.add(log(json, node, "ctlogs[" + ctlogs.size() + "]."));
        }
        List<Authority> cas = new ArrayList<>();
        for (JsonNode node : json.array(root, "certificateAuthorities", MAX_ENTRIES, "")) {
            cas.add(authority(json, node, "certificateAuthorities[" + cas.size() + "]."));
        }
        List<Authority> tsas = new ArrayList<>();
        for (JsonNode node : json.array(root, "timestampAuthorities", MAX_ENTRIES, "")) {
            tsas.add(authority(json, node, "timestampAuthorities[" + tsas.size() + "]."));
        }
        if (tlogs.isEmpty() && cas.isEmpty() && tsas.isEmpty()) {
            throw json.error("it trusts nothing: no tlogs, certificateAuthorities or timestampAuthorities");
        }
        return new TrustedRoot(tlogs, ctlogs, cas, tsas);
    }

    private static Log log(SigstoreJson json, JsonNode node, String where) throws SigstoreException {
        if (!node.isObject()) {
            throw json.error(SigstoreJson.place(where) + " is not an object");
        }
        String baseUrl = json.optionalText(node, "baseUrl", where).orElse("");
        JsonNode publicKey = json.object(node, "publicKey", where);
        String keyDetails = json.text(publicKey, "keyDetails", where + "publicKey.");
        byte[] raw = json.base64(publicKey, "rawBytes", where + "publicKey.");
        PublicKey key = publicKey(json, raw, keyDetails, where + "publicKey.rawBytes");
        Validity validity = validity(json, json.object(publicKey, "validFor", where + "publicKey."), where + "publicKey.validFor.");
        byte[] logId = json.base64(json.object(node, "logId", where), "keyId", where + "logId.");
        return new Log(baseUrl, logId, key, validity);
    }

    /** DER SubjectPublicKeyInfo, or for {@code PKCS1_RSA_*} key details a bare PKCS#1 RSAPublicKey. */
    private static PublicKey publicKey(SigstoreJson json, byte[] raw, String keyDetails, String where) throws SigstoreException {
        byte[] spki = raw;
        try {
            if (keyDetails.startsWith("PKCS1_RSA_")) {
                spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), raw).getEncoded();
            }
            String algorithm = keyAlgorithm(SubjectPublicKeyInfo.getInstance(spki));
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // BouncyCastle versions differ in which runtime exception a damaged structure raises.
            throw json.error(where + " is not a usable " + keyDetails + " public key");
        }
    }

    private static String keyAlgorithm(SubjectPublicKeyInfo spki) throws GeneralSecurityException {
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        switch (oid) {
            case "1.2.840.10045.2.1":
                return "EC";
            case "1.2.840.113549.1.1.1":
                return "RSA";
            case "1.3.101.112":
                return "Ed25519";
            default:
                throw new GeneralSecurityException("unsupported key algorithm " + oid);
        }
    }

    private static Authority authority(SigstoreJson json, JsonNode node, String where) throws SigstoreException {
        if (!node.isObject()) {
            throw json.error(SigstoreJson.place(where) + " is not an object");
        }
        String uri = json.optionalText(node, "uri", where).orElse("");
        List<X509Certificate> chain = certificateChain(json, json.object(node, "certChain", where), where + "certChain");
        Validity validity = validity(json, json.object(node, "validFor", where), where + "validFor.");
        return new Authority(uri, chain, validity);
    }

    /**
     * A protobuf {@code X509CertificateChain} ({@code {"certificates": [{"rawBytes": …}]}}), the same message in a
     * trusted root and in a bundle: at least one certificate, each DER X.509.
     */
    static List<X509Certificate> certificateChain(SigstoreJson json, JsonNode chain, String where) throws SigstoreException {
        JsonNode certificates = json.array(chain, "certificates", MAX_CHAIN_CERTIFICATES, where + ".");
        if (certificates.isEmpty()) {
            throw json.error(where + ".certificates is empty: there is no certificate");
        }
        List<X509Certificate> parsed = new ArrayList<>();
        for (JsonNode certificate : certificates) {
            String at = where + ".certificates[" + parsed.size() + "]";
            if (!certificate.isObject()) {
                throw json.error(at + " is not an object");
            }
            parsed.add(certificate(json, json.base64(certificate, "rawBytes", at + "."), at + ".rawBytes"));
        }
        return parsed;
    }

    static X509Certificate certificate(SigstoreJson json, byte[] der, String where) throws SigstoreException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw json.error(where + " is not a DER X.509 certificate");
        }
    }

    private static Validity validity(SigstoreJson json, JsonNode node, String where) throws SigstoreException {
        Optional<Instant> start = json.optionalInstant(node, "start", where);
        if (start.isEmpty()) {
            throw json.error(where + "start is missing");
        }
        Optional<Instant> end = json.optionalInstant(node, "end", where);
        if (end.isPresent() && end.get().isBefore(start.get())) {
            throw json.error(where + "end " + end.get() + " is before start " + start.get());
        }
        return new Validity(start.get(), end);
    }

    public List<Log> tlogs() {
        return tlogs;
    }

    public List<Log> ctlogs() {
        return ctlogs;
    }

    public List<Authority> certificateAuthorities() {
        return certificateAuthorities;
    }

    public List<Authority> timestampAuthorities() {
        return timestampAuthorities;
    }

    /** The transparency log whose id is {@code logId}. */
    public Optional<Log> tlog(byte[] logId) {
        return tlogs.stream().filter(l -> l.hasId(logId)).findFirst();
    }

    /** The certificate-transparency log whose id is {@code logId}. */
    public Optional<Log> ctlog(byte[] logId) {
        return ctlogs.stream().filter(l -> l.hasId(logId)).findFirst();
    }
}
