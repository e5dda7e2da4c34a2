package io.jenkins.plugins.imagetrust.engine.notary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jenkins.plugins.imagetrust.engine.keys.EcdsaSignatures;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureScheme;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignatureMethod;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufSignature;
import java.nio.ByteBuffer;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes and checks Notary signatures, and decides whether a role's threshold is met. */
public final class TufSignatures {
    /** notary refuses RSA keys below 2048 bits. */
    private static final int MIN_RSA_BITS = 2048;

    private TufSignatures() {
    }

    private static boolean isValidRawEcdsa(ECPublicKey key, byte[] raw, byte[] canonicalSigned) {
        try {
            return raw.length == 2 * EcdsaSignatures.scalarBytes(key)
                    && SignatureVerifier.verify(key, SignatureScheme.ECDSA_SHA256, canonicalSigned, EcdsaSignatures.rawToDer(raw));
        } catch (KeyException e) {
            return false; // not a well-formed raw signature
        }
    }

    /** Whether {@code signature} is a valid signature by {@code key} over {@code canonicalSigned}. */
    public static boolean isValid(TufKey key, TufSignature signature, byte[] canonicalSigned) {
        SignatureMethod method = signature.method();
        if (method == null || !method.fits(key.type())) {
            return false;
        }
        byte[] value = signature.value();
        return switch (method) {
            case ECDSA -> {
                // Raw r‖s of exactly the curve's width, as notary checks; DER is not Notary's form.
                yield isValidRawEcdsa((ECPublicKey) key.publicKey(), value, canonicalSigned);
            }
            case RSA_PSS -> strongRsa(key) && SignatureVerifier.verify(key.publicKey(), SignatureScheme.RSA_PSS_SHA256, canonicalSigned, value);
            case RSA_PKCS1V15 -> strongRsa(key) && SignatureVerifier.verify(key.publicKey(), SignatureScheme.RSA_PKCS1_SHA256, canonicalSigned, value);
            case EDDSA -> value.length == 64 && SignatureVerifier.verify(key.publicKey(), SignatureScheme.ED25519, canonicalSigned, value);
        };
    }

    private static boolean strongRsa(TufKey key) {
        return ((RSAPublicKey) key.publicKey()).getModulus().bitLength() >= MIN_RSA_BITS;
    }

    /**
     * Checks that at least the role's threshold of distinct keys it lists made valid signatures over the
     * file. A key id listed twice, a key that signed twice, or one public key listed under two ids (bare and
     * certificate form) counts once.
     *
     * @throws UnknownKeyException if no signature counts and some came from keys the role does not list
     * @throws SignatureThresholdException if fewer distinct keys than the threshold signed validly
     */
    public static void requireThreshold(SignedMetadata file, Map<String, TufKey> keys, RoleKeys roleKeys) throws SignatureThresholdException {
        Set<String> allowed = new HashSet<>(roleKeys.keyIds());
        Set<ByteBuffer> validKeys = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        byte[] canonical = file.canonicalSigned();
        for (TufSignature signature : file.signatures()) {
            TufKey key = keys.get(signature.keyId());
            if (key == null || !allowed.contains(signature.keyId())) {
                unknown.add(signature.keyId());
            } else if (isValid(key, signature, canonical)) {
                validKeys.add(ByteBuffer.wrap(key.publicKey().getEncoded()));
            }
        }
        if (validKeys.size() >= roleKeys.threshold()) {
            return;
        }
        if (validKeys.isEmpty() && !unknown.isEmpty()) {
            throw new UnknownKeyException(file.role(), roleKeys.threshold(), List.copyOf(new LinkedHashSet<>(unknown)));
        }
        throw new SignatureThresholdException(file.role(), roleKeys.threshold(), validKeys.size());
    }

    /** The signature method Notary records for what {@code signer} produces. */
    public static SignatureMethod methodFor(Signer signer) {
        return switch (signer.scheme()) {
            case ECDSA_SHA256 -> SignatureMethod.ECDSA;
            case RSA_PSS_SHA256 -> SignatureMethod.RSA_PSS;
            case RSA_PKCS1_SHA256 -> SignatureMethod.RSA_PKCS1V15;
            case ED25519 -> SignatureMethod.EDDSA;
        };
    }

    /** A signer and the key id under which the role lists its key. */
    public record SigningKey(Signer signer, String keyId) {
    }

    /**
     * A complete metadata file: {@code signed} in canonical form and one signature per key, in the envelope
     * order notary-server expects ({@code signed} first).
     */
    public static byte[] signEnvelope(JsonNode signed, List<SigningKey> keys) throws KeyException {
        byte[] canonical = CanonicalJson.encode(signed);
        ArrayNode signatures = CanonicalJson.mapper().createArrayNode();
        for (SigningKey key : keys) {
            signatures.add(sign(key.signer(), key.keyId(), canonical).toJson());
        }
        return CanonicalJson.encodeEnvelope(signed, signatures);
    }

    /**
     * Signs canonical bytes as {@code keyId} (the id under which the role lists the signer's key: for a root
     * certificate key, the certificate key's id). ECDSA signatures are converted to raw r‖s.
     */
    public static TufSignature sign(Signer signer, String keyId, byte[] canonicalSigned) throws KeyException {
        byte[] value = signer.sign(canonicalSigned);
        SignatureMethod method = methodFor(signer);
        if (method == SignatureMethod.ECDSA) {
            value = EcdsaSignatures.derToRaw(value, EcdsaSignatures.scalarBytes(signer.publicKey()));
        }
        return TufSignature.of(keyId, method, value);
    }
}
