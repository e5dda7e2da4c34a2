package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope;
import io.jenkins.plugins.imagetrust.engine.json.JsonBase64;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle v0.3 ({@code sigstore/protobuf-specs protos/sigstore_bundle.proto}, in protobuf JSON form) as
 * cosign 3 writes it for {@code cosign sign --key} without a transparency log: {@code mediaType}, a
 * {@code verificationMaterial.publicKey.hint} (standard base64 of the SHA-256 of the key's DER SubjectPublicKeyInfo,
 * cosign {@code makeNewBundle}) and a {@code dsseEnvelope} whose one signature is over the DSSE PAE of the statement.
 * Bundles with a {@code messageSignature} are read too.
 *
 * <p>The verification material is never trusted: keys come from the policy. Empty repeated fields
 * ({@code tlogEntries}) are left out, as protobuf JSON does.
 */
public final class SigstoreBundle {
    /** The two contents a bundle can carry; exactly one is present. */
    public sealed interface Content permits DsseContent, MessageSignatureContent {
    }

    /** {@code dsseEnvelope}: the payload (decoded), its type and the signatures over its PAE. */
    public record DsseContent(String payloadType, byte[] payload, List<DsseEnvelope.Signature> signatures) implements Content {
        public DsseContent {
            payload = payload.clone();
            signatures = List.copyOf(signatures);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /** {@code messageSignature}: the signed message's digest (algorithm as protobuf names it, e.g. SHA2_256) and the signature. */
    public record MessageSignatureContent(String digestAlgorithm, byte[] digest, byte[] signature) implements Content {
        public MessageSignatureContent {
            digest = digest.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** The {@code dev.sigstore.bundle.content} annotation value of a DSSE bundle. */
    public static final String CONTENT_DSSE = "dsse-envelope";
    /** The {@code dev.sigstore.bundle.content} annotation value of a message-signature bundle. */
    public static final String CONTENT_MESSAGE_SIGNATURE = "message-signature";
    /** A DSSE envelope with more signatures than this is not read. */
    public static final int MAX_SIGNATURES = DsseEnvelope.MAX_SIGNATURES;

    private final Optional<String> publicKeyHint;
    private final boolean certificateMaterial;
    private final Content content;

    private SigstoreBundle(Optional<String> publicKeyHint, boolean certificateMaterial, Content content) {
        this.publicKeyHint = publicKeyHint;
        this.certificateMaterial = certificateMaterial;
        this.content = content;
    }

    /** The bundle bytes for one DSSE signature by {@code publicKey}'s private key over {@code Dsse.pae(in-toto, statement)}. */
    public static byte[] createDsse(byte[] statement, byte[] signature, PublicKey publicKey) {
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("mediaType", MediaTypes.SIGSTORE_BUNDLE);
        root.putObject("verificationMaterial").putObject("publicKey").put("hint", publicKeyHint(publicKey));
        ObjectNode envelope = root.putObject("dsseEnvelope");
        envelope.put("payload", base64.encodeToString(statement));
        envelope.put("payloadType", Dsse.IN_TOTO_PAYLOAD_TYPE);
        envelope.putArray("signatures").addObject().put("sig", base64.encodeToString(signature));
        try {
            return StrictJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** cosign's key hint: standard base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
    public static String publicKeyHint(PublicKey publicKey) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses bundle bytes. The reason in the exception is {@link RejectionReason#MALFORMED_BUNDLE} for a document
     * that is not a v0.3 bundle, {@link RejectionReason#BAD_DSSE} for an envelope that cannot be checked.
     */
    public static SigstoreBundle parse(byte[] bytes) throws MalformedSignatureException {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw malformed("the bundle is not JSON: " + StrictJson.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw malformed("the bundle is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (!MediaTypes.SIGSTORE_BUNDLE.equals(mediaType)) {
            throw malformed("the bundle's mediaType is '" + mediaType + "', not '" + MediaTypes.SIGSTORE_BUNDLE + "'");
        }
        JsonNode hint = root.path("verificationMaterial").path("publicKey").path("hint");
        JsonNode envelope = root.get("dsseEnvelope");
        JsonNode message = root.get("messageSignature");
        if ((envelope == null) == (message == null)) {
            throw malformed("the bundle must hold exactly one of dsseEnvelope and messageSignature");
        }
        Content content = envelope != null ? dsse(envelope) : messageSignature(message);
        JsonNode material = root.path("verificationMaterial");
        boolean certificate = material.has("certificate") || material.has("x509CertificateChain");
        return new SigstoreBundle(hint.isTextual() ? Optional.of(hint.asText()) : Optional.empty(), certificate, content);
    }

    private static DsseContent dsse(JsonNode envelope) throws MalformedSignatureException {
        try {
            DsseEnvelope read = DsseEnvelope.read(envelope);
            return new DsseContent(read.payloadType(), read.payload(), read.signatures());
        } catch (MalformedDocumentException e) {
            throw new MalformedSignatureException(RejectionReason.BAD_DSSE, "dsseEnvelope: " + e.getMessage());
        }
    }

    private static MessageSignatureContent messageSignature(JsonNode message) throws MalformedSignatureException {
        if (!message.isObject()) {
            throw malformed("messageSignature is not an object");
        }
        JsonNode digest = message.path("messageDigest");
        String algorithm = digest.path("algorithm").asText("");
        byte[] digestBytes = base64(digest.get("digest"), "messageDigest.digest");
        byte[] signature = base64(message.get("signature"), "messageSignature.signature");
        if (signature.length == 0) {
            throw malformed("messageSignature.signature is empty");
        }
        return new MessageSignatureContent(algorithm, digestBytes, signature);
    }

    private static byte[] base64(JsonNode node, String what) throws MalformedSignatureException {
        try {
            return JsonBase64.decode(node, what);
        } catch (MalformedDocumentException e) {
            throw malformed(e.getMessage());
        }
    }

    /** Whether the verification material is a (Fulcio) certificate: a keyless signature. */
    public boolean certificateMaterial() {
        return certificateMaterial;
    }

    /** The key hint, when the material is a public key (never trusted, shown only). */
    public Optional<String> publicKeyHint() {
        return publicKeyHint;
    }

    public Content content() {
        return content;
    }

    private static MalformedSignatureException malformed(String message) {
        return new MalformedSignatureException(RejectionReason.MALFORMED_BUNDLE, message);
    }


}
