package io.jenkins.plugins.imagetrust.engine.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.cosign.Dsse;
import io.jenkins.plugins.imagetrust.engine.cosign.SigstoreBundle;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope;
import io.jenkins.plugins.imagetrust.engine.intoto.DsseEnvelope.Signature;
import io.jenkins.plugins.imagetrust.engine.intoto.StatementDocument;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope (secure-systems-lab/dsse {@code envelope.md}): a payload, its type, and signatures over
 * {@link Dsse#pae PAE(payloadType, payload)}.
 *
 * <p><b>Bytes written</b> ({@link #toJson}), as cosign's {@code attest} writes them into a {@code .att} layer:
 * {@code {"payloadType":TYPE,"payload":B64,"signatures":[{"keyid":"","sig":B64}]}}, no whitespace, standard base64
 * with padding. cosign signs through sigstore's {@code pkg/signature/dsse/dsse.go} ({@code WrapSigner(sv,
 * "application/vnd.in-toto+json").SignMessage}), which marshals go-securesystemslib's {@code dsse.Envelope}
 * ({@code dsse/envelope.go}: members {@code payloadType}, {@code payload}, {@code signatures} in that order; a
 * signature's {@code keyid}, always written, then {@code sig}) and leaves the key id empty.
 *
 * <p><b>Reading</b> ({@link #parse}) accepts any member order, the key id absent, and standard or URL-safe base64 (as
 * DSSE allows); duplicate members, trailing data, more than {@link #MAX_SIGNATURES} signatures, an empty signature,
 * or an envelope over {@link #MAX_BYTES} are {@link AttestationReason#ENVELOPE_MALFORMED}. cosign 3 with
 * {@code --new-bundle-format=false} writes the same envelope from the Sigstore bundle's protobuf (cosign
 * {@code cmd/cosign/cli/signcommon/common.go} {@code ExtractComponentsFromProtoBundle}: {@code payload},
 * {@code payloadType}, {@code signatures[{sig}]}); it reads too.
 */
public final class Envelope {
    /** DSSE's payload type of an in-toto statement. */
    public static final String IN_TOTO_PAYLOAD_TYPE = Dsse.IN_TOTO_PAYLOAD_TYPE;
    /** An envelope larger than this is not read: a {@link Statement#MAX_BYTES} payload in base64, and room for signatures. */
    public static final int MAX_BYTES = Statement.MAX_BYTES / 3 * 4 + 64 * 1024;
    /** More signatures than this are not read (as for bundles). */
    public static final int MAX_SIGNATURES = DsseEnvelope.MAX_SIGNATURES;

    private final String payloadType;
    private final byte[] payload;
    private final List<Signature> signatures;

    private Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
        this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
        this.payload = payload.clone();
        this.signatures = List.copyOf(signatures);
    }

    /** Signs {@code PAE(payloadType, payload)} with {@code signer}: one signature, an empty key id, as cosign does. */
    public static Envelope sign(Signer signer, String payloadType, byte[] payload) throws KeyException {
        byte[] signature = signer.sign(Dsse.pae(payloadType, payload));
        return new Envelope(payloadType, payload, List.of(new Signature("", signature)));
    }

    /** Signs an in-toto statement ({@link Statement#write}). */
    public static Envelope signStatement(Signer signer, byte[] statement) throws KeyException {
        return sign(signer, IN_TOTO_PAYLOAD_TYPE, statement);
    }

    /** The envelope a Sigstore bundle carries, for the same verification as a {@code .att} layer's. */
    public static Envelope of(SigstoreBundle.DsseContent content) {
        List<Signature> signatures = new ArrayList<>();
        return new Envelope(content.payloadType(), content.payload(), content.signatures());
    }

    /** Parses envelope JSON (a {@code .att} layer); see the class comment for what is accepted. */
    public static Envelope parse(byte[] bytes) throws AttestationException {
        if (bytes.length > MAX_BYTES) {
            throw malformed("the envelope has " + bytes.length + " bytes; at most " + MAX_BYTES + " are read");
        }
        JsonNode root;
        try {
            root = JsonMappers.attestations().readTree(bytes);
        } catch (IOException e) {
            throw malformed("the envelope is not JSON: " + StatementDocument.oneLine(e));
        }
        if (root == null || !root.isObject()) {
            throw malformed("the envelope is not a JSON object");
        }
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.read(root);
        } catch (MalformedDocumentException e) {
            throw malformed(e.getMessage());
        }
        return new Envelope(envelope.payloadType(), envelope.payload(), envelope.signatures());
    }

    private static AttestationException malformed(String message) {
        return new AttestationException(AttestationReason.ENVELOPE_MALFORMED, message);
    }

    /** The envelope JSON as cosign writes it into a {@code .att} layer (see the class comment). */
    public byte[] toJson() {
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("payloadType", payloadType);
        root.put("payload", base64.encodeToString(payload));
        ArrayNode signatureArray = root.putArray("signatures");
        for (Signature signature : signatures) {
            ObjectNode node = signatureArray.addObject();
            node.put("keyid", signature.keyId());
            node.put("sig", base64.encodeToString(signature.sig()));
        }
        try {
            return JsonMappers.attestations().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Sigstore bundle v0.3 carrying this envelope, as cosign 3 attaches it ({@link SigstoreBundle#createDsse}:
     * {@code dsseEnvelope}, the key hint of {@code publicKey}). Only an in-toto envelope with one signature fits.
     *
     * @throws IllegalStateException when the envelope is of another payload type or has several signatures
     */
    public byte[] toBundle(PublicKey publicKey) {
        if (!IN_TOTO_PAYLOAD_TYPE.equals(payloadType) || signatures.size() != 1) {
            throw new IllegalStateException("a bundle carries one in-toto signature; this envelope has payload type '" + payloadType
                    + "' and " + signatures.size() + " signatures");
        }
        return SigstoreBundle.createDsse(payload, signatures.get(0).sig(), publicKey);
    }

    /**
     * This envelope as the storage formats write it (the {@code .att} layer's JSON and the bundle for
     * {@code publicKey}), for {@code SignatureStorage.writeAttestation}.
     *
     * @throws IllegalStateException when the envelope is not one in-toto signature over a statement that parses
     */
    public SignedAttestation toSignedAttestation(PublicKey publicKey) {
        String predicateType;
        try {
            predicateType = AttestationLayer.predicateTypeOf(this);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return new SignedAttestation(predicateType, toJson(), toBundle(publicKey));
    }

    /** The bytes every signature is over: {@code PAE(payloadType, payload)}. */
    public byte[] pae() {
        return Dsse.pae(payloadType, payload);
    }

    public String payloadType() {
        return payloadType;
    }

    public byte[] payload() {
        return payload.clone();
    }

    public List<Signature> signatures() {
        return signatures;
    }
}
