package io.jenkins.plugins.imagetrust.engine.verify;

import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.sigstore.FulcioIdentity;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verifier concluded about one signature.
 *
 * @param source where it was found, e.g. {@code cosign:sha256-<hex>.sig}
 * @param payloadDigest the digest of the signed payload blob
 * @param keyId the trusted key it verifies under, if any
 * @param keyName that key's name in the policy, if any
 * @param counted whether it counted toward the threshold
 * @param reason why it did not count (empty when counted)
 * @param detail the facts: which key, which digest, which member
 * @param annotations the payload's {@code optional} strings (a bundle: its statement subject's annotations), when the
 *        signature verified
 * @param format the format the signature was found in: {@link SignatureFormat#LEGACY} or {@link SignatureFormat#BUNDLE}
 * @param keyless the trusted identity a keyless signature verified under and the certificate identity that signed, if any
 */
public record SignatureCheck(
        String source,
        Digest payloadDigest,
        Optional<KeyId> keyId,
        Optional<String> keyName,
        boolean counted,
        Optional<RejectionReason> reason,
        String detail,
        Map<String, String> annotations,
        SignatureFormat format,
        Optional<KeylessSigner> keyless) {

    /** Who signed keylessly: the trusted identity of the policy, and what the certificate names. */
    public record KeylessSigner(String identityName, FulcioIdentity certificate) {
        public KeylessSigner {
            Objects.requireNonNull(identityName);
            Objects.requireNonNull(certificate);
        }

        /** {@code SAN (issuer ISSUER)}. */
        public String describe() {
            return certificate.subjectAlternativeName().orElse("?") + " (issuer " + certificate.issuer().orElse("?") + ")";
        }
    }

    public SignatureCheck {
        Objects.requireNonNull(keyless);
        Objects.requireNonNull(format);
        Objects.requireNonNull(source);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(keyName);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(detail);
        annotations = Map.copyOf(annotations);
        if (counted == reason.isPresent()) {
            throw new IllegalArgumentException("a counted signature has no reason, and a rejected one has one");
        }
    }

    /** A check of a signature made with a key. */
    public SignatureCheck(String source, Digest payloadDigest, Optional<KeyId> keyId, Optional<String> keyName, boolean counted,
            Optional<RejectionReason> reason, String detail, Map<String, String> annotations, SignatureFormat format) {
        this(source, payloadDigest, keyId, keyName, counted, reason, detail, annotations, format, Optional.empty());
    }

    /** A check of a legacy ({@code .sig}) signature. */
    public SignatureCheck(String source, Digest payloadDigest, Optional<KeyId> keyId, Optional<String> keyName, boolean counted,
            Optional<RejectionReason> reason, String detail, Map<String, String> annotations) {
        this(source, payloadDigest, keyId, keyName, counted, reason, detail, annotations, SignatureFormat.LEGACY);
    }
}
