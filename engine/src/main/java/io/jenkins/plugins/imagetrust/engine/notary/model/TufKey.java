package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A Notary public key: {@code {"keytype":…,"keyval":{"private":null,"public":<base64>}}}. Its id is the hex
 * SHA-256 of that object in canonical form, whatever member order the server sent. {@code public} is the
 * base64 DER SubjectPublicKeyInfo for {@code ecdsa}/{@code rsa}, the raw 32 bytes for {@code ed25519} (as
 * notary's Go code reads it; a DER SPKI is accepted too), and a whole PEM certificate for the x509 types.
 */
public final class TufKey {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo, followed by the 32 raw key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final KeyType type;
    private final String publicValue;
    private final PublicKey publicKey;
    private final X509Certificate certificate;
    private final String id;

    private TufKey(KeyType type, String publicValue, PublicKey publicKey, X509Certificate certificate) {
        this.type = type;
        this.publicValue = publicValue;
        this.publicKey = publicKey;
        this.certificate = certificate;
        this.id = sha256Hex(CanonicalJson.encode(toJson()));
    }

    /** Reads a key object; {@code role} names the file for error messages. */
    public static TufKey fromJson(JsonNode node, String role) throws MalformedMetadataException {
        if (node == null || !node.isObject()) {
            throw new MalformedMetadataException(role, "a key must be an object");
        }
        String typeName = JsonFields.text(node, "keytype", role);
        KeyType type = KeyType.fromWireName(typeName)
                .orElseThrow(() -> new MalformedMetadataException(role, "unsupported keytype '" + typeName + "'"));
        JsonNode keyval = JsonFields.object(node, "keyval", role);
        JsonNode privateValue = keyval.get("private");
        if (privateValue != null && !privateValue.isNull()) {
            // Never echo it: a private key in public metadata is someone's mistake, not something to log.
            throw new MalformedMetadataException(role, "a " + typeName + " key carries a private part");
        }
        return of(type, JsonFields.text(keyval, "public", role), role);
    }

    /** A key from its type and the base64 {@code public} value. */
    public static TufKey of(KeyType type, String publicBase64, String role) throws MalformedMetadataException {
        byte[] decoded = JsonFields.base64(publicBase64, "a " + type.wireName() + " key's public value", role);
        try {
            if (type.isCertificate()) {
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(decoded));
                PublicKey key = certificate.getPublicKey();
                checkAlgorithm(type, key, role);
                return new TufKey(type, publicBase64, key, certificate);
            }
            PublicKey key = switch (type) {
                case ECDSA -> KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(decoded));
                case RSA -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decoded));
                case ED25519 -> KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                        decoded.length == 32 ? concat(ED25519_SPKI_PREFIX, decoded) : decoded));
                default -> throw new IllegalStateException(type.toString());
            };
            checkAlgorithm(type, key, role);
            return new TufKey(type, publicBase64, key, null);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new MalformedMetadataException(role, "a " + type.wireName() + " key cannot be decoded (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The bare key ({@code ecdsa}, {@code rsa} or {@code ed25519}) for a JDK public key. */
    public static TufKey forPublicKey(PublicKey key) throws MalformedMetadataException {
        KeyType type;
        byte[] value = key.getEncoded();
        if (key instanceof ECPublicKey) {
            type = KeyType.ECDSA;
        } else if (key instanceof RSAPublicKey) {
            type = KeyType.RSA;
        } else if (isEd25519(key)) {
            type = KeyType.ED25519;
            value = Arrays.copyOfRange(value, value.length - 32, value.length);
        } else {
            throw new IllegalArgumentException("Notary has no key type for a " + key.getAlgorithm() + " key");
        }
        return of(type, Base64.getEncoder().encodeToString(value), "key");
    }

    /** The certificate key ({@code ecdsa-x509} or {@code rsa-x509}): base64 of the certificate's PEM text. */
    public static TufKey forCertificate(X509Certificate certificate) throws MalformedMetadataException {
        KeyType type = certificate.getPublicKey() instanceof RSAPublicKey ? KeyType.RSA_X509 : KeyType.ECDSA_X509;
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return of(type, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)), "root");
        } catch (CertificateEncodingException e) {
            throw new MalformedMetadataException("root", "the certificate cannot be encoded", e);
        }
    }

    private static void checkAlgorithm(KeyType type, PublicKey key, String role) throws MalformedMetadataException {
        boolean fits = type.isEcdsa() ? key instanceof ECPublicKey
                : type.isRsa() ? key instanceof RSAPublicKey
                : isEd25519(key);
        if (!fits) {
            throw new MalformedMetadataException(role, "a " + type.wireName() + " key holds a " + key.getAlgorithm() + " public key");
        }
    }

    private static boolean isEd25519(PublicKey key) {
        return "Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical key object: {@code {"keytype":…,"keyval":{"private":null,"public":…}}}. */
    public ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("keytype", type.wireName());
        ObjectNode keyval = node.putObject("keyval");
        keyval.putNull("private");
        keyval.put("public", publicValue);
        return node;
    }

    /** Lowercase hex SHA-256 of the canonical key object. */
    public String id() {
        return id;
    }

    public KeyType type() {
        return type;
    }

    public String publicValue() {
        return publicValue;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /**
     * The id of the bare key inside this key: for an x509 key, the id of the certificate's SPKI as an
     * {@code ecdsa}/{@code rsa} key (the name docker gives the root private-key file); otherwise {@link #id()}.
     */
    public String bareKeyId() {
        if (certificate == null) {
            return id;
        }
        try {
            return forPublicKey(publicKey).id();
        } catch (MalformedMetadataException e) {
            throw new IllegalStateException("a decoded certificate key cannot be re-encoded", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TufKey && ((TufKey) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return type.wireName() + " key " + id;
    }
}
