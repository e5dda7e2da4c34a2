package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks that a transparency-log entry's body records this bundle: the same signature, the same certificate (or
 * key), and the same artifact digest (or DSSE payload hash). Without this, a valid log entry for something else
 * would vouch for any bundle. Kinds read: {@code hashedrekord} 0.0.1 and 0.0.2, {@code dsse} 0.0.1 and 0.0.2,
 * {@code intoto} 0.0.2 (Rekor {@code pkg/types}, rekor-tiles {@code api/proto}).
 */
final class RekorBodies {
    /** What the body must record. */
    record Expected(Bundle.Content content, Optional<X509Certificate> certificate, PublicKey key, byte[] artifactSha256) {
    }

    private RekorBodies() {
    }

    static void check(Bundle.TlogEntry entry, Expected expected) throws SigstoreException {
        SigstoreJson json = new SigstoreJson(SigstoreReason.TLOG_ENTRY_MISMATCH, "log entry body");
        JsonNode body = json.readObject(entry.canonicalizedBody(), Bundle.MAX_BYTES);
        String kind = json.text(body, "kind", "");
        String apiVersion = json.text(body, "apiVersion", "");
        if (!kind.equals(entry.kind()) || !apiVersion.equals(entry.kindVersion())) {
            throw json.error("it is a " + kind + " " + apiVersion + " entry, but the bundle says " + entry.kind() + " " + entry.kindVersion());
        }
        JsonNode spec = json.object(body, "spec", "");
        String type = kind + " " + apiVersion;
        switch (type) {
            case "hashedrekord 0.0.1":
                hashedRekordV001(json, spec, expected);
                break;
            case "hashedrekord 0.0.2":
                hashedRekordV002(json, json.object(spec, "hashedRekordV002", "spec."), expected);
                break;
            case "dsse 0.0.1":
                dsseV001(json, spec, expected);
                break;
            case "dsse 0.0.2":
                dsseV002(json, json.object(spec, "dsseV002", "spec."), expected);
                break;
            case "intoto 0.0.2":
                intotoV002(json, json.object(spec, "content", "spec."), expected);
                break;
            default:
                throw json.error("entries of kind " + type + " are not supported");
        }
    }

    private static void hashedRekordV001(SigstoreJson json, JsonNode spec, Expected expected) throws SigstoreException {
        if (!(expected.content() instanceof Bundle.MessageSignature)) {
            throw json.error("a hashedrekord 0.0.1 entry records a message signature, but the bundle holds a DSSE envelope");
        }
        JsonNode hash = json.object(json.object(spec, "data", "spec."), "hash", "spec.data.");
        requireEqual(json, json.text(hash, "algorithm", "spec.data.hash."), "sha256", "the digest algorithm");
        requireEqual(json, json.text(hash, "value", "spec.data.hash."), HexFormat.of().formatHex(expected.artifactSha256()),
                "the artifact digest");
        JsonNode signature = json.object(spec, "signature", "spec.");
        requireSignature(json, json.base64(signature, "content", "spec.signature."), expected);
        requireVerifierPem(json, json.base64(json.object(signature, "publicKey", "spec.signature."), "content", "spec.signature.publicKey."),
                expected);
    }

    private static void hashedRekordV002(SigstoreJson json, JsonNode spec, Expected expected) throws SigstoreException {
        JsonNode data = json.object(spec, "data", "spec.hashedRekordV002.");
        requireEqual(json, json.text(data, "algorithm", "data."), "SHA2_256", "the digest algorithm");
        byte[] digest = json.base64(data, "digest", "data.");
        // For a DSSE bundle logged as a hashedrekord, the logged digest is that of the PAE the signature covers.
        byte[] signed = expected.content() instanceof Bundle.DsseContent
                ? MerkleTree.sha256().digest(((Bundle.DsseContent) expected.content()).pae())
                : expected.artifactSha256();
        if (!MessageDigest.isEqual(digest, signed)) {
            throw json.error("the logged digest is not the digest of what the bundle signs");
        }
        signatureV002(json, json.object(spec, "signature", "spec.hashedRekordV002."), expected);
    }

    private static void dsseV001(SigstoreJson json, JsonNode spec, Expected expected) throws SigstoreException {
        Bundle.DsseContent envelope = envelope(json, expected);
        JsonNode payloadHash = json.object(spec, "payloadHash", "spec.");
        requireEqual(json, json.text(payloadHash, "algorithm", "spec.payloadHash."), "sha256", "the payload hash algorithm");
        requireEqual(json, json.text(payloadHash, "value", "spec.payloadHash."),
                HexFormat.of().formatHex(MerkleTree.sha256().digest(envelope.payload())), "the payload hash");
        JsonNode signatures = json.array(spec, "signatures", 1, "spec.");
        if (signatures.size() != 1) {
            throw json.error("the entry must record exactly the envelope's one signature");
        }
        requireSignature(json, json.base64(signatures.get(0), "signature", "spec.signatures[0]."), expected);
        requireVerifierPem(json, json.base64(signatures.get(0), "verifier", "spec.signatures[0]."), expected);
    }

    private static void dsseV002(SigstoreJson json, JsonNode spec, Expected expected) throws SigstoreException {
        Bundle.DsseContent envelope = envelope(json, expected);
        JsonNode payloadHash = json.object(spec, "payloadHash", "spec.dsseV002.");
        requireEqual(json, json.text(payloadHash, "algorithm", "payloadHash."), "SHA2_256", "the payload hash algorithm");
        if (!MessageDigest.isEqual(json.base64(payloadHash, "digest", "payloadHash."), MerkleTree.sha256().digest(envelope.payload()))) {
            throw json.error("the logged payload hash is not the hash of the envelope's payload");
        }
        JsonNode signatures = json.array(spec, "signatures", 1, "spec.dsseV002.");
        if (signatures.size() != 1) {
            throw json.error("the entry must record exactly the envelope's one signature");
        }
        signatureV002(json, signatures.get(0), expected);
    }

    private static void intotoV002(SigstoreJson json, JsonNode content, Expected expected) throws SigstoreException {
        Bundle.DsseContent envelope = envelope(json, expected);
        JsonNode payloadHash = json.object(content, "payloadHash", "spec.content.");
        requireEqual(json, json.text(payloadHash, "algorithm", "spec.content.payloadHash."), "sha256", "the payload hash algorithm");
        requireEqual(json, json.text(payloadHash, "value", "spec.content.payloadHash."),
                HexFormat.of().formatHex(MerkleTree.sha256().digest(envelope.payload())), "the payload hash");
        JsonNode logged = json.object(content, "envelope", "spec.content.");
        requireEqual(json, json.text(logged, "payloadType", "spec.content.envelope."), envelope.payloadType(), "the payload type");
        JsonNode signatures = json.array(logged, "signatures", 1, "spec.content.envelope.");
        if (signatures.size() != 1) {
            throw json.error("the entry must record exactly the envelope's one signature");
        }
        // intoto 0.0.2 double-encodes: the logged "sig" is base64 of the envelope's base64 signature text.
        byte[] signatureText = json.base64(signatures.get(0), "sig", "spec.content.envelope.signatures[0].");
        requireSignature(json, json.decodeBase64(new String(signatureText, StandardCharsets.US_ASCII), "the logged signature"), expected);
        requireVerifierPem(json, json.base64(signatures.get(0), "publicKey", "spec.content.envelope.signatures[0]."), expected);
    }

    /** Rekor v2's {@code Signature}: content bytes and a verifier (an X.509 certificate or a public key, raw DER). */
    private static void signatureV002(SigstoreJson json, JsonNode signature, Expected expected) throws SigstoreException {
        requireSignature(json, json.base64(signature, "content", "signature."), expected);
        JsonNode verifier = json.object(signature, "verifier", "signature.");
        Optional<JsonNode> certificate = json.optionalObject(verifier, "x509Certificate", "signature.verifier.");
        if (certificate.isPresent()) {
            byte[] der = json.base64(certificate.get(), "rawBytes", "signature.verifier.x509Certificate.");
            if (expected.certificate().isEmpty() || !Arrays.equals(der, encoded(expected.certificate().get()))) {
                throw json.error("the logged certificate is not the bundle's signing certificate");
            }
            return;
        }
        byte[] key = json.base64(json.object(verifier, "publicKey", "signature.verifier."), "rawBytes", "signature.verifier.publicKey.");
        if (expected.certificate().isPresent() || !Arrays.equals(key, expected.key().getEncoded())) {
            throw json.error("the logged public key is not the signer's key");
        }
    }

    private static Bundle.DsseContent envelope(SigstoreJson json, Expected expected) throws SigstoreException {
        if (!(expected.content() instanceof Bundle.DsseContent)) {
            throw json.error("the entry records a DSSE envelope, but the bundle holds a message signature");
        }
        return (Bundle.DsseContent) expected.content();
    }

    private static void requireSignature(SigstoreJson json, byte[] logged, Expected expected) throws SigstoreException {
        if (!Arrays.equals(logged, expected.content().signature())) {
            throw json.error("the logged signature is not the bundle's signature");
        }
    }

    /** A logged PEM verifier: the signing certificate itself, or (for a managed key) the key. */
    private static void requireVerifierPem(SigstoreJson json, byte[] pem, Expected expected) throws SigstoreException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (expected.certificate().isPresent()) {
            X509Certificate logged;
            try {
                logged = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
            } catch (CertificateException | RuntimeException e) {
                throw json.error("the logged verifier is not a certificate, but the bundle is signed with one");
            }
            if (!Arrays.equals(encoded(logged), encoded(expected.certificate().get()))) {
                throw json.error("the logged certificate is not the bundle's signing certificate");
            }
            return;
        }
        PublicKey logged;
        try {
            logged = PublicKeys.parse(text);
        } catch (KeyException e) {
            throw json.error("the logged verifier is not a public key: " + e.getMessage());
        }
        if (!Arrays.equals(logged.getEncoded(), expected.key().getEncoded())) {
            throw json.error("the logged public key is not the signer's key");
        }
    }

    private static void requireEqual(SigstoreJson json, String logged, String expected, String what) throws SigstoreException {
        if (!logged.equals(expected)) {
            throw json.error(what + " is '" + shorten(logged) + "', not '" + shorten(expected) + "'");
        }
    }

    private static byte[] encoded(X509Certificate certificate) throws SigstoreException {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new SigstoreException(SigstoreReason.MALFORMED_BUNDLE, "the signing certificate cannot be re-encoded");
        }
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
