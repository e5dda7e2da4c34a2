package io.jenkins.plugins.imagetrust.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A throw-away Sigstore deployment for tests, on BouncyCastle: a Fulcio-like root and intermediate CA issuing
 * short-lived code-signing leaves with the Fulcio extensions and an embedded SCT (issued through a precertificate, as
 * RFC 6962 and Fulcio do), a CT log key, a Rekor-like log key signing entry timestamps and checkpoints, a timestamp
 * authority issuing RFC 3161 tokens, and the {@code trusted_root.json} naming them all with their validity windows.
 * Nothing here verifies: it produces bytes as the real services do, from their sources, so the verifier is tested
 * against an independent writer. Each piece can be told to misbehave (another key, other times, another CA) so that
 * an attack row is the control with one thing changed.
 */
public final class TestSigstore {
    /** Key types Sigstore uses for leaves and logs. */
    public enum KeyType {
        P256,
        P384,
        ED25519
    }

    /** The OIDC issuer the fixture's leaves name by default (GitHub Actions). */
    public static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
    /** Fulcio extension OIDs (fulcio {@code docs/oid-info.md}, {@code pkg/certificate/extensions.go}). */
    public static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    public static final String OID_GITHUB_WORKFLOW_TRIGGER_V1 = "1.3.6.1.4.1.57264.1.2";
    public static final String OID_GITHUB_WORKFLOW_REPOSITORY_V1 = "1.3.6.1.4.1.57264.1.5";
    public static final String OID_GITHUB_WORKFLOW_REF_V1 = "1.3.6.1.4.1.57264.1.6";
    public static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    public static final String OID_SOURCE_REPOSITORY_URI = "1.3.6.1.4.1.57264.1.12";
    public static final String OID_SOURCE_REPOSITORY_REF = "1.3.6.1.4.1.57264.1.14";
    public static final String OID_BUILD_TRIGGER = "1.3.6.1.4.1.57264.1.20";
    /** RFC 6962 section 3.1: the critical poison extension of a precertificate, and the embedded SCT list (3.3). */
    static final String OID_CT_POISON = "1.3.6.1.4.1.11129.2.4.3";
    static final String OID_SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    /** A trusted-root {@code validFor}: start, and an end that may be open. */
    public record Window(Instant start, Optional<Instant> end) {
        public static Window from(Instant start) {
            return new Window(start, Optional.empty());
        }

        public static Window between(Instant start, Instant end) {
            return new Window(start, Optional.of(end));
        }
    }

    /** A certificate authority: its key and certificate. */
    public record Ca(KeyPair keys, X509Certificate certificate) {
    }

    /** A log (Rekor or CT): its key and its id, SHA-256 of the DER public key (rekor {@code pkg/util/sha.go}, RFC 6962 3.2). */
    public record LogKey(KeyPair keys, byte[] logId) {
        public static LogKey of(KeyPair keys) {
            return new LogKey(keys, sha256(keys.getPublic().getEncoded()));
        }
    }

    private final Instant now;
    private final Ca fulcioRoot;
    private final Ca fulcioIntermediate;
    private final LogKey ctLog;
    private final LogKey rekor;
    private final Ca tsaRoot;
    private final Ca tsaLeaf;
    /** The trusted-root windows, public good style: from well before now, open-ended; tests narrow them. */
    public Window fulcioWindow;
    public Window ctLogWindow;
    public Window rekorWindow;
    public Window tsaWindow;
    /** The TSA chain the trusted root lists; default its leaf then its root, as sigstore's public-good root does. */
    public List<X509Certificate> tsaChainInRoot;

    /** A deployment around {@code now}: P-384 Fulcio CA (as the public-good one), P-256 CT, Rekor and TSA keys. */
    public TestSigstore(Instant now) {
        this(now, KeyType.P256);
    }

    /** The same with CT and Rekor keys of {@code logKeys}. */
    public TestSigstore(Instant now, KeyType logKeys) {
        this.now = now;
        Instant caStart = now.minus(Duration.ofDays(365));
        Instant caEnd = now.plus(Duration.ofDays(365));
        fulcioRoot = selfSignedCa("sigstore-test-root", KeyType.P384, caStart, caEnd);
        fulcioIntermediate = subordinateCa(fulcioRoot, "sigstore-test-intermediate", KeyType.P384, caStart, caEnd);
        ctLog = LogKey.of(newKeyPair(logKeys));
        rekor = LogKey.of(newKeyPair(logKeys));
        tsaRoot = selfSignedCa("sigstore-test-tsa-root", KeyType.P256, caStart, caEnd);
        tsaLeaf = tsaLeaf(tsaRoot, "sigstore-test-tsa", caStart, caEnd);
        Window open = Window.from(now.minus(Duration.ofDays(30)));
        fulcioWindow = open;
        ctLogWindow = open;
        rekorWindow = open;
        tsaWindow = open;
        tsaChainInRoot = List.of(tsaLeaf.certificate(), tsaRoot.certificate());
    }

    public Instant now() {
        return now;
    }

    public Ca fulcioRoot() {
        return fulcioRoot;
    }

    public Ca fulcioIntermediate() {
        return fulcioIntermediate;
    }

    public LogKey ctLog() {
        return ctLog;
    }

    public LogKey rekor() {
        return rekor;
    }

    public Ca tsaRoot() {
        return tsaRoot;
    }

    public Ca tsaLeaf() {
        return tsaLeaf;
    }

    // ---------------------------------------------------------------- keys and signatures

    public static KeyPair newKeyPair(KeyType type) {
        try {
            switch (type) {
                case P256:
                case P384:
                    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                    ec.initialize(new ECGenParameterSpec(type == KeyType.P256 ? "secp256r1" : "secp384r1"));
                    return ec.generateKeyPair();
                default:
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A signature with the scheme the Sigstore clients use for the key type (sigstore {@code pkg/signature}
     * {@code GetDefaultAlgorithmDetails}): ECDSA P-256/SHA-256, ECDSA P-384/SHA-384, Ed25519 over the message.
     */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(jcaAlgorithm(key));
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jcaAlgorithm(PrivateKey key) {
        if (key instanceof ECKey) {
            return ((ECKey) key).getParams().getCurve().getField().getFieldSize() == 384 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "Ed25519";
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- certificate authorities

    public static Ca selfSignedCa(String name, KeyType type, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair(type);
        return new Ca(keys, caCertificate(new X500Principal("O=sigstore.test, CN=" + name), keys.getPublic(), keys, null, notBefore, notAfter));
    }

    /** An intermediate CA under {@code parent}, as Fulcio's (pathlen 0). */
    public static Ca subordinateCa(Ca parent, String name, KeyType type, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair(type);
        return new Ca(keys, caCertificate(new X500Principal("O=sigstore.test, CN=" + name), keys.getPublic(), parent.keys(),
                parent.certificate(), notBefore, notAfter));
    }

    private static X509Certificate caCertificate(X500Principal subject, PublicKey key, KeyPair signer, X509Certificate issuer, Instant notBefore,
            Instant notAfter) {
        try {
            X500Principal issuerName = issuer == null ? subject : issuer.getSubjectX500Principal();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(), Date.from(notBefore), Date.from(notAfter),
                    subject, key);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, issuer == null ? new BasicConstraints(true) : new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            }
            return certificate(builder.build(contentSigner(signer.getPrivate())));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TSA signing certificate: extended key usage time stamping only, critical (RFC 3161 section 2.3). */
    public static Ca tsaLeaf(Ca issuer, String name, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair(KeyType.P256);
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Principal("O=sigstore.test, CN=" + name), keys.getPublic());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            return new Ca(keys, certificate(builder.build(contentSigner(issuer.keys().getPrivate()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet()).shiftLeft(16).or(BigInteger.valueOf(RANDOM.nextInt(1 << 16)));
    }

    private static org.bouncycastle.operator.ContentSigner contentSigner(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(jcaAlgorithm(key)).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- Fulcio leaves

    /** A leaf as Fulcio issues it: its key and certificate. */
    public record Leaf(KeyPair keys, X509Certificate certificate) {
        public String pem() {
            return TestSigstore.pem(certificate);
        }
    }

    /** A Fulcio leaf for {@code keyType}, valid ten minutes from one minute ago (Fulcio's lifetime), for a GitHub workflow. */
    public LeafBuilder leaf(KeyType keyType) {
        return new LeafBuilder(keyType);
    }

    /**
     * What a Fulcio leaf says, each part changeable: the defaults are a GitHub Actions workflow identity with both
     * issuer extensions, v2 source extensions, and the v1 workflow extensions cosign's
     * {@code --certificate-github-workflow-*} flags check.
     */
    public final class LeafBuilder {
        private final KeyType keyType;
        private GeneralName san = new GeneralName(GeneralName.uniformResourceIdentifier,
                "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main");
        private Optional<String> issuerV1 = Optional.of(GITHUB_ISSUER);
        private Optional<String> issuerV2 = Optional.of(GITHUB_ISSUER);
        private final Map<String, String> v2Extensions = new LinkedHashMap<>();
        private final Map<String, String> v1Extensions = new LinkedHashMap<>();
        private Instant notBefore = now.minus(Duration.ofMinutes(1));
        private Instant notAfter = now.plus(Duration.ofMinutes(9));
        private Ca issuer = fulcioIntermediate;
        private Optional<LogKey> sctLog = Optional.of(ctLog);
        private Instant sctTime = now.minus(Duration.ofSeconds(59));
        private boolean codeSigning = true;
        private Optional<KeyPair> sctSigningKey = Optional.empty();

        private LeafBuilder(KeyType keyType) {
            this.keyType = keyType;
            v2Extensions.put(OID_SOURCE_REPOSITORY_URI, "https://github.com/example/app");
            v2Extensions.put(OID_SOURCE_REPOSITORY_REF, "refs/heads/main");
            v2Extensions.put(OID_BUILD_TRIGGER, "push");
            v1Extensions.put(OID_GITHUB_WORKFLOW_TRIGGER_V1, "push");
            v1Extensions.put(OID_GITHUB_WORKFLOW_REPOSITORY_V1, "example/app");
            v1Extensions.put(OID_GITHUB_WORKFLOW_REF_V1, "refs/heads/main");
        }

        /** A URI SAN (workflow, SPIFFE ...). */
        public LeafBuilder uri(String uri) {
            san = new GeneralName(GeneralName.uniformResourceIdentifier, uri);
            return this;
        }

        /** An e-mail SAN (rfc822Name), as for a person signing through Google or GitHub. */
        public LeafBuilder email(String email) {
            san = new GeneralName(GeneralName.rfc822Name, email);
            return this;
        }

        /** Issuer in the v1 extension (raw bytes) and/or the v2 one (UTF8String); empty leaves it out. */
        public LeafBuilder issuer(Optional<String> v1, Optional<String> v2) {
            issuerV1 = v1;
            issuerV2 = v2;
            return this;
        }

        /** A v2 extension (DER UTF8String value); null removes it. */
        public LeafBuilder extension(String oid, String value) {
            if (value == null) {
                v2Extensions.remove(oid);
            } else {
                v2Extensions.put(oid, value);
            }
            return this;
        }

        /** A deprecated v1 extension (raw string bytes); null removes it. */
        public LeafBuilder extensionV1(String oid, String value) {
            if (value == null) {
                v1Extensions.remove(oid);
            } else {
                v1Extensions.put(oid, value);
            }
            return this;
        }

        public LeafBuilder validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        /** Issued by another CA than the deployment's intermediate. */
        public LeafBuilder issuedBy(Ca ca) {
            issuer = ca;
            return this;
        }

        /** The SCT from {@code log} (another CT log's key), or none when empty. */
        public LeafBuilder sctFrom(Optional<LogKey> log) {
            sctLog = log;
            return this;
        }

        public LeafBuilder sctTime(Instant time) {
            sctTime = time;
            return this;
        }

        /** The SCT names the trusted CT log but is signed with {@code key}. */
        public LeafBuilder sctSignedWith(KeyPair key) {
            sctSigningKey = Optional.of(key);
            return this;
        }

        public LeafBuilder withoutCodeSigning() {
            codeSigning = false;
            return this;
        }

        /**
         * Fulcio's flow ({@code pkg/ca/ca.go}, {@code pkg/ca/intermediateca}): a precertificate with the critical
         * poison extension is signed and submitted to the CT log; the log signs the precertificate's TBS without the
         * poison, with the issuer's key hash (RFC 6962 3.2); the final certificate is the precertificate with the
         * poison replaced by the SCT list extension (RFC 6962 3.3), signed again.
         */
        public Leaf build() {
            KeyPair keys = newKeyPair(keyType);
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                // Fulcio leaves have an empty subject; the identity is the critical SAN (docs/certificate-specification.md).
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(notBefore),
                        Date.from(notAfter), new X500Principal(""), keys.getPublic());
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(codeSigning ? KeyPurposeId.id_kp_codeSigning : KeyPurposeId.id_kp_emailProtection));
                builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer.certificate()));
                builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(san));
                if (issuerV1.isPresent()) {
                    // v1 extensions hold the raw string bytes, not DER (fulcio docs/oid-info.md "deprecated").
                    builder.addExtension(new ASN1ObjectIdentifier(OID_ISSUER_V1), false, issuerV1.get().getBytes(StandardCharsets.UTF_8));
                }
                for (Map.Entry<String, String> extension : v1Extensions.entrySet()) {
                    builder.addExtension(new ASN1ObjectIdentifier(extension.getKey()), false, extension.getValue().getBytes(StandardCharsets.UTF_8));
                }
                if (issuerV2.isPresent()) {
                    builder.addExtension(new ASN1ObjectIdentifier(OID_ISSUER_V2), false, new DERUTF8String(issuerV2.get()));
                }
                for (Map.Entry<String, String> extension : v2Extensions.entrySet()) {
                    builder.addExtension(new ASN1ObjectIdentifier(extension.getKey()), false, new DERUTF8String(extension.getValue()));
                }
                if (sctLog.isEmpty()) {
                    return new Leaf(keys, certificate(builder.build(contentSigner(issuer.keys().getPrivate()))));
                }
                builder.addExtension(new ASN1ObjectIdentifier(OID_CT_POISON), true, DERNull.INSTANCE);
                X509CertificateHolder precertificate = builder.build(contentSigner(issuer.keys().getPrivate()));
                byte[] sctList = sctList(sct(sctLog.get(), sctSigningKey.orElse(sctLog.get().keys()), sctTime,
                        issuer.certificate().getPublicKey(), tbsWithoutPoison(precertificate)));
                X509v3CertificateBuilder finalBuilder = new X509v3CertificateBuilder(precertificate);
                finalBuilder.removeExtension(new ASN1ObjectIdentifier(OID_CT_POISON));
                finalBuilder.addExtension(new ASN1ObjectIdentifier(OID_SCT_LIST), false, new DEROctetString(sctList));
                return new Leaf(keys, certificate(finalBuilder.build(contentSigner(issuer.keys().getPrivate()))));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the CT log signs: the precertificate's TBSCertificate with the poison extension removed (RFC 6962 3.2). */
    private static byte[] tbsWithoutPoison(X509CertificateHolder precertificate) throws IOException {
        ASN1Sequence tbs = ASN1Sequence.getInstance(precertificate.toASN1Structure().getTBSCertificate().toASN1Primitive());
        ASN1EncodableVector rebuilt = new ASN1EncodableVector();
        for (ASN1Encodable element : tbs) {
            if (element instanceof ASN1TaggedObject && ((ASN1TaggedObject) element).getTagNo() == 3) {
                ASN1EncodableVector kept = new ASN1EncodableVector();
                for (ASN1Encodable extension : ASN1Sequence.getInstance((ASN1TaggedObject) element, true)) {
                    if (!Extension.getInstance(extension).getExtnId().getId().equals(OID_CT_POISON)) {
                        kept.add(extension);
                    }
                }
                rebuilt.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
            } else {
                rebuilt.add(element);
            }
        }
        return new DERSequence(rebuilt).getEncoded(ASN1Encoding.DER);
    }

    /**
     * One serialized SCT v1 (RFC 6962 3.2; certificate-transparency-go {@code types.go}): version, log id, timestamp
     * (ms), no extensions, the TLS {@code DigitallySigned} (hash, signature algorithm, signature) over the precert
     * entry.
     */
    private static byte[] sct(LogKey log, KeyPair signingKey, Instant time, PublicKey issuerKey, byte[] tbs) {
        long millis = time.toEpochMilli();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0); // sct_version v1
        signed.write(0); // signature_type certificate_timestamp
        signed.writeBytes(ByteBuffer.allocate(8).putLong(millis).array());
        signed.writeBytes(new byte[] {0, 1}); // entry_type precert_entry
        signed.writeBytes(sha256(issuerKey.getEncoded())); // issuer_key_hash
        signed.writeBytes(new byte[] {(byte) (tbs.length >>> 16), (byte) (tbs.length >>> 8), (byte) tbs.length});
        signed.writeBytes(tbs);
        signed.writeBytes(new byte[] {0, 0}); // no CT extensions
        byte[] signature = sign(signingKey.getPrivate(), signed.toByteArray());
        boolean ed25519 = !(signingKey.getPrivate() instanceof ECKey);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(log.logId());
        out.writeBytes(ByteBuffer.allocate(8).putLong(millis).array());
        out.writeBytes(new byte[] {0, 0});
        // TLS HashAlgorithm sha256(4) / none(0) for Ed25519, SignatureAlgorithm ecdsa(3) / ed25519(7) (RFC 5246, RFC 8446)
        out.write(ed25519 ? 0 : 4);
        out.write(ed25519 ? 7 : 3);
        out.writeBytes(new byte[] {(byte) (signature.length >>> 8), (byte) signature.length});
        out.writeBytes(signature);
        return out.toByteArray();
    }

    /** The TLS {@code SignedCertificateTimestampList}: a 2-byte total length, then each SCT with its 2-byte length. */
    private static byte[] sctList(byte[] sct) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int total = sct.length + 2;
        out.writeBytes(new byte[] {(byte) (total >>> 8), (byte) total, (byte) (sct.length >>> 8), (byte) sct.length});
        out.writeBytes(sct);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- Rekor

    /** A Rekor v1 entry with its SET and an inclusion proof in a small tree, under a signed checkpoint. */
    public record LogEntry(byte[] logId, long logIndex, long integratedTime, byte[] body, byte[] signedEntryTimestamp, long treeSize,
            byte[] rootHash, List<byte[]> proofHashes, String checkpoint) {
        public String logIdHex() {
            return HexFormat.of().formatHex(logId);
        }
    }

    /**
     * A {@code hashedrekord} 0.0.1 body (rekor {@code pkg/types/hashedrekord/v0.0.1}, {@code openapi.yaml}
     * {@code hashedrekord/v0.0.1_schema.json}), canonical JSON: the artifact's sha256, the signature, and the signer's
     * certificate as base64 of its PEM.
     */
    public static byte[] hashedRekordBody(byte[] artifactSha256, byte[] signature, X509Certificate signer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiVersion", "0.0.1");
        body.put("kind", "hashedrekord");
        ObjectNode spec = body.putObject("spec");
        ObjectNode hash = spec.putObject("data").putObject("hash");
        hash.put("algorithm", "sha256");
        hash.put("value", HexFormat.of().formatHex(artifactSha256));
        ObjectNode signatureNode = spec.putObject("signature");
        signatureNode.put("content", Base64.getEncoder().encodeToString(signature));
        signatureNode.putObject("publicKey").put("content", base64Pem(signer));
        return bytes(body);
    }

    /**
     * A {@code dsse} 0.0.1 body (rekor {@code pkg/types/dsse/v0.0.1}): the payload's sha256, and the envelope's
     * signature with its verifier (base64 PEM). The envelope hash Rekor also records is not verified by clients.
     */
    public static byte[] dsseBody(byte[] payload, byte[] signature, X509Certificate signer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiVersion", "0.0.1");
        body.put("kind", "dsse");
        ObjectNode spec = body.putObject("spec");
        ObjectNode payloadHash = spec.putObject("payloadHash");
        payloadHash.put("algorithm", "sha256");
        payloadHash.put("value", HexFormat.of().formatHex(sha256(payload)));
        ObjectNode signatureNode = spec.putArray("signatures").addObject();
        signatureNode.put("signature", Base64.getEncoder().encodeToString(signature));
        signatureNode.put("verifier", base64Pem(signer));
        return bytes(body);
    }

    private static String base64Pem(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(pem(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    /** Logs {@code body} at {@code integratedTime} with the deployment's Rekor key. */
    public LogEntry log(byte[] body, Instant integratedTime) {
        return log(body, integratedTime, rekor, rekor);
    }

    /**
     * Logs {@code body}: {@code setSigner} signs the SET (rekor {@code pkg/api/entries.go}: the canonical JSON of
     * body, integratedTime, logID and logIndex; cosign {@code pkg/cosign/tlog.go} {@code VerifySET}),
     * {@code checkpointSigner} the checkpoint of a seven-leaf tree holding the entry at index 5.
     */
    public LogEntry log(byte[] body, Instant integratedTime, LogKey setSigner, LogKey checkpointSigner) {
        long logIndex = 5;
        long integrated = integratedTime.getEpochSecond();
        String logIdHex = HexFormat.of().formatHex(rekor.logId());
        String setPayload = "{\"body\":\"" + Base64.getEncoder().encodeToString(body) + "\",\"integratedTime\":" + integrated + ",\"logID\":\""
                + logIdHex + "\",\"logIndex\":" + logIndex + "}";
        byte[] set = sign(setSigner.keys().getPrivate(), setPayload.getBytes(StandardCharsets.UTF_8));
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] other = new byte[40];
            RANDOM.nextBytes(other);
            leaves.add(leafHash(i == logIndex ? body : other));
        }
        byte[] root = treeHash(leaves);
        List<byte[]> proof = inclusionPath((int) logIndex, leaves);
        return new LogEntry(rekor.logId(), logIndex, integrated, body, set, leaves.size(), root, proof,
                checkpoint(checkpointSigner, leaves.size(), root));
    }

    /**
     * A checkpoint: a signed note (golang.org/x/mod {@code sumdb/note}; rekor {@code pkg/util/checkpoint.go},
     * {@code signed_note.go}) of origin, tree size and base64 root hash, signed by the log with the first four bytes
     * of its log id as key hint.
     */
    public String checkpoint(LogKey signer, long treeSize, byte[] rootHash) {
        String text = "rekor.sigstore.test - 1234567890\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
        byte[] signature = sign(signer.keys().getPrivate(), text.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream hinted = new ByteArrayOutputStream();
        hinted.writeBytes(java.util.Arrays.copyOf(signer.logId(), 4));
        hinted.writeBytes(signature);
        return text + "\n\u2014 rekor.sigstore.test " + Base64.getEncoder().encodeToString(hinted.toByteArray()) + "\n";
    }

    /** RFC 6962 2.1: MTH of the leaf hashes. */
    private static byte[] treeHash(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return nodeHash(treeHash(leaves.subList(0, k)), treeHash(leaves.subList(k, leaves.size())));
    }

    /** RFC 6962 2.1.1: PATH(m, D[n]). */
    private static List<byte[]> inclusionPath(int m, List<byte[]> leaves) {
        List<byte[]> path = new ArrayList<>();
        if (leaves.size() == 1) {
            return path;
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        if (m < k) {
            path.addAll(inclusionPath(m, leaves.subList(0, k)));
            path.add(treeHash(leaves.subList(k, leaves.size())));
        } else {
            path.addAll(inclusionPath(m - k, leaves.subList(k, leaves.size())));
            path.add(treeHash(leaves.subList(0, k)));
        }
        return path;
    }

    private static byte[] leafHash(byte[] data) {
        byte[] prefixed = new byte[data.length + 1];
        System.arraycopy(data, 0, prefixed, 1, data.length);
        return sha256(prefixed);
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        byte[] prefixed = new byte[65];
        prefixed[0] = 1;
        System.arraycopy(left, 0, prefixed, 1, 32);
        System.arraycopy(right, 0, prefixed, 33, 32);
        return sha256(prefixed);
    }

    // ---------------------------------------------------------------- TSA

    /** A timestamp by the deployment's TSA over {@code signature}, at {@code time}, embedding its certificate. */
    public byte[] timestamp(byte[] signature, Instant time) {
        return timestamp(signature, time, tsaLeaf, true);
    }

    /**
     * A DER {@code TimeStampResp} (RFC 3161 section 2.4.2) from {@code signer} over SHA-256 of {@code signature}
     * (timestamp-authority {@code pkg/api/timestamp.go}; cosign and sigstore-go timestamp the signature bytes),
     * generated at {@code time}, embedding the signer's certificate when {@code embed}.
     */
    public static byte[] timestamp(byte[] signature, Instant time, Ca signer, boolean embed) {
        try {
            TimeStampTokenGenerator generator = new TimeStampTokenGenerator(
                    new JcaSimpleSignerInfoGeneratorBuilder()
                            // The CMS signingTime is the token's time, not this machine's clock, so fixed test times work.
                            .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(
                                    new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(time)))))))
                            .build("SHA256withECDSA", signer.keys().getPrivate(), signer.certificate()),
                    new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
            if (embed) {
                generator.addCertificates(new JcaCertStore(List.of(signer.certificate())));
            }
            TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
            requests.setCertReq(embed);
            TimeStampRequest request = requests.generate(TSPAlgorithms.SHA256, sha256(signature), BigInteger.valueOf(RANDOM.nextLong()));
            return new TimeStampResponseGenerator(generator, TSPAlgorithms.ALLOWED).generate(request, serial(), Date.from(time)).getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | TSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- trusted root

    /**
     * The {@code trusted_root.json} (protobuf-specs {@code protos/sigstore_trustroot.proto}, v0.1 media type as
     * sigstore-go's {@code pkg/root/trusted_root.go} writes it): Fulcio's chain intermediate first, the TSA's leaf
     * first, each log's key as DER SubjectPublicKeyInfo with its key details and id.
     */
    public byte[] trustedRootJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
        log(root.putArray("tlogs"), "https://rekor.sigstore.test", rekor, rekorWindow);
        ObjectNode ca = root.putArray("certificateAuthorities").addObject();
        ca.putObject("subject").put("organization", "sigstore.test").put("commonName", "sigstore-test");
        ca.put("uri", "https://fulcio.sigstore.test");
        chain(ca.putObject("certChain"), List.of(fulcioIntermediate.certificate(), fulcioRoot.certificate()));
        window(ca.putObject("validFor"), fulcioWindow);
        log(root.putArray("ctlogs"), "https://ctfe.sigstore.test/test", ctLog, ctLogWindow);
        ObjectNode tsa = root.putArray("timestampAuthorities").addObject();
        tsa.putObject("subject").put("organization", "sigstore.test").put("commonName", "sigstore-test-tsa");
        tsa.put("uri", "https://timestamp.sigstore.test");
        chain(tsa.putObject("certChain"), tsaChainInRoot);
        window(tsa.putObject("validFor"), tsaWindow);
        return bytes(root);
    }

    private static void log(ArrayNode logs, String baseUrl, LogKey key, Window window) {
        ObjectNode log = logs.addObject();
        log.put("baseUrl", baseUrl);
        log.put("hashAlgorithm", "SHA2_256");
        ObjectNode publicKey = log.putObject("publicKey");
        publicKey.put("rawBytes", Base64.getEncoder().encodeToString(key.keys().getPublic().getEncoded()));
        publicKey.put("keyDetails", keyDetails(key.keys().getPublic()));
        window(publicKey.putObject("validFor"), window);
        log.putObject("logId").put("keyId", Base64.getEncoder().encodeToString(key.logId()));
    }

    /** protobuf-specs {@code PublicKeyDetails} names. */
    private static String keyDetails(PublicKey key) {
        if (key instanceof ECKey) {
            return ((ECKey) key).getParams().getCurve().getField().getFieldSize() == 384 ? "PKIX_ECDSA_P384_SHA_384" : "PKIX_ECDSA_P256_SHA_256";
        }
        return "PKIX_ED25519";
    }

    private static void chain(ObjectNode node, List<X509Certificate> certificates) {
        ArrayNode array = node.putArray("certificates");
        for (X509Certificate certificate : certificates) {
            try {
                array.addObject().put("rawBytes", Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void window(ObjectNode node, Window window) {
        node.put("start", window.start().toString());
        window.end().ifPresent(end -> node.put("end", end.toString()));
    }

    static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 of a DER certificate, as protobuf JSON writes bytes. */
    public static String der64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exposes the object mapper for layouts built on this deployment. */
    static ObjectMapper json() {
        return JSON;
    }
}
