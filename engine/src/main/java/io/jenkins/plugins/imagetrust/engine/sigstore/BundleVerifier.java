package io.jenkins.plugins.imagetrust.engine.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Verifies a Sigstore bundle offline against a pinned {@link TrustedRoot}, the way the Sigstore clients do
 * (sigstore-go {@code pkg/verify}): the signature over the artifact, the transparency-log entries (body, signed entry
 * timestamp, inclusion proof and checkpoint), the RFC 3161 timestamps, then for a certificate: its validity at every
 * proven signing time, its chain to a Fulcio CA valid then, its SCT, and its identity. Each failure is a
 * {@link SigstoreException} with its own {@link SigstoreReason}.
 */
public final class BundleVerifier {
    private static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    private static final int MAX_SUBJECTS = 1000;
    private static final String CODE_SIGNING_USAGE = "1.3.6.1.5.5.7.3.3";

    private final TrustedRoot root;

    public BundleVerifier(TrustedRoot root) {
        this.root = root;
    }

    /**
     * Verifies {@code bundle} for the artifact whose SHA-256 digest is {@code artifact} (for a DSSE in-toto bundle,
     * a subject of the statement), signed as {@code policy} requires.
     */
    public VerifiedBundle verify(Bundle bundle, SignerPolicy policy, Digest artifact) throws SigstoreException {
        return verify(bundle, policy, artifact, Optional.empty());
    }

    /**
     * The same, with the artifact's bytes when the caller has them (an image manifest, a signed payload): a message
     * signature is then checked over the bytes, which P-384 (SHA-384) and Ed25519 keys need; without them, over the
     * SHA-256 digest. The bytes must hash to {@code artifact}.
     */
    public VerifiedBundle verify(Bundle bundle, SignerPolicy policy, Digest artifact, Optional<byte[]> artifactBytes)
            throws SigstoreException {
        if (!"sha256".equals(artifact.algorithm())) {
            throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "the artifact digest must be sha256, not " + artifact.algorithm());
        }
        byte[] artifactSha256 = HexFormat.of().parseHex(artifact.hex());
        if (artifactBytes.isPresent() && !MessageDigest.isEqual(MerkleTree.sha256().digest(artifactBytes.get()), artifactSha256)) {
            throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "the artifact bytes do not hash to " + artifact);
        }
        Optional<X509Certificate> certificate = certificate(bundle.material(), policy);
        PublicKey signerKey = certificate.map(X509Certificate::getPublicKey).orElseGet(() -> ((SignerPolicy.ManagedKey) policy).key());

        checkSignature(bundle, signerKey, artifactSha256, artifactBytes);
        List<VerifiedBundle.SigningTime> times = new ArrayList<>();
        RekorBodies.Expected expected = new RekorBodies.Expected(bundle.content(), certificate, signerKey, artifactSha256);
        for (Bundle.TlogEntry entry : bundle.tlogEntries()) {
            checkTlogEntry(entry, expected).ifPresent(times::add);
        }
        for (byte[] timestamp : bundle.rfc3161Timestamps()) {
            Rfc3161Timestamps.VerifiedTimestamp verified = Rfc3161Timestamps.verify(timestamp, bundle.content().signature(), root);
            times.add(new VerifiedBundle.SigningTime(verified.time(), VerifiedBundle.TimeSource.RFC3161_TIMESTAMP, verified.authority()));
        }
        if (certificate.isEmpty()) {
            return new VerifiedBundle(artifact, new VerifiedBundle.KeySigner(signerKey), times);
        }
        X509Certificate leaf = certificate.get();
        if (times.isEmpty()) {
            throw new SigstoreException(SigstoreReason.NO_SIGNING_TIME, "nothing proves when the certificate was used: the bundle has"
                    + " no Rekor v1 signed entry timestamp and no RFC 3161 timestamp");
        }
        X509Certificate issuer = checkCertificate(leaf, times);
        EmbeddedScts.verify(leaf, issuer, root);
        FulcioIdentity identity = FulcioIdentity.of(leaf);
        checkIdentity(identity, (SignerPolicy.CertificateIdentity) policy);
        return new VerifiedBundle(artifact, new VerifiedBundle.CertificateSigner(identity), times);
    }

    /** The signing certificate when the policy asks for an identity; empty for a managed key. */
    private static Optional<X509Certificate> certificate(Bundle.Material material, SignerPolicy policy) throws SigstoreException {
        if (policy instanceof SignerPolicy.CertificateIdentity) {
            if (material instanceof Bundle.CertificateMaterial) {
                return Optional.of(((Bundle.CertificateMaterial) material).leaf());
            }
            throw new SigstoreException(SigstoreReason.WRONG_MATERIAL, "the bundle is signed with a managed key, not a certificate:"
                    + " verify it with the public key, not a certificate identity");
        }
        if (material instanceof Bundle.PublicKeyMaterial) {
            return Optional.empty();
        }
        throw new SigstoreException(SigstoreReason.WRONG_MATERIAL, "the bundle is signed with a certificate, not a managed key:"
                + " verify it with a certificate identity and issuer, not a public key");
    }

    private static void checkSignature(Bundle bundle, PublicKey signerKey, byte[] artifactSha256, Optional<byte[]> artifactBytes)
            throws SigstoreException {
        boolean byCertificate = bundle.material() instanceof Bundle.CertificateMaterial;
        Bundle.Content content = bundle.content();
        if (content instanceof Bundle.MessageSignature) {
            Bundle.MessageSignature message = (Bundle.MessageSignature) content;
            if (message.digest().isPresent()) {
                if (!"SHA2_256".equals(message.digestAlgorithm().orElse(""))) {
                    throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "the bundle's message digest uses "
                            + message.digestAlgorithm().orElse("") + "; only SHA2_256 is verified");
                }
                if (!MessageDigest.isEqual(message.digest().get(), artifactSha256)) {
                    throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "the bundle signs another artifact: its message digest is "
                            + HexFormat.of().formatHex(message.digest().get()) + ", the artifact's sha256 is " + HexFormat.of().formatHex(artifactSha256));
                }
            }
            if (artifactBytes.isEmpty() && !Signatures.signerVerifiableFromSha256(signerKey, byCertificate)) {
                throw new SigstoreException(SigstoreReason.SIGNATURE_INVALID, "a " + signerKey.getAlgorithm() + " key's message signature"
                        + " cannot be checked from the artifact's SHA-256 digest alone: give the artifact's bytes");
            }
            boolean valid = artifactBytes.isPresent()
                    ? Signatures.verifySigner(signerKey, byCertificate, artifactBytes.get(), message.signature())
                    : Signatures.verifySignerDigest(signerKey, byCertificate, artifactSha256, message.signature());
            if (!valid) {
                throw new SigstoreException(SigstoreReason.SIGNATURE_INVALID, "the message signature does not verify with the "
                        + (byCertificate ? "certificate's key" : "given key") + " over the artifact");
            }
            return;
        }
        Bundle.DsseContent envelope = (Bundle.DsseContent) content;
        if (!Signatures.verifySigner(signerKey, byCertificate, envelope.pae(), envelope.signature())) {
            throw new SigstoreException(SigstoreReason.SIGNATURE_INVALID, "the DSSE signature does not verify with the "
                    + (byCertificate ? "certificate's key" : "given key"));
        }
        if (!IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "the DSSE payload type is '" + envelope.payloadType()
                    + "', not an in-toto statement that names the artifact");
        }
        if (!statementSubjectDigests(envelope.payload()).contains(HexFormat.of().formatHex(artifactSha256))) {
            throw new SigstoreException(SigstoreReason.ARTIFACT_MISMATCH, "no subject of the in-toto statement has the artifact's sha256 "
                    + HexFormat.of().formatHex(artifactSha256));
        }
    }

    /** The sha256 digests of the statement's subjects. */
    private static List<String> statementSubjectDigests(byte[] payload) throws SigstoreException {
        SigstoreJson json = new SigstoreJson(SigstoreReason.MALFORMED_BUNDLE, "in-toto statement");
        JsonNode statement = json.readObject(payload, Bundle.MAX_BYTES);
        List<String> digests = new ArrayList<>();
        for (JsonNode subject : json.array(statement, "subject", MAX_SUBJECTS, "")) {
            JsonNode sha256 = subject.path("digest").path("sha256");
            if (sha256.isTextual()) {
                digests.add(sha256.asText());
            }
        }
        return digests;
    }

    /** Checks one log entry; the signing time its SET proves, if it has one. */
    private Optional<VerifiedBundle.SigningTime> checkTlogEntry(Bundle.TlogEntry entry, RekorBodies.Expected expected) throws SigstoreException {
        TrustedRoot.Log log = root.tlog(entry.logId()).orElseThrow(() -> new SigstoreException(SigstoreReason.TLOG_UNTRUSTED,
                "the log entry is from a transparency log that is not in the trusted root (log id "
                        + Base64.getEncoder().encodeToString(entry.logId()) + ")"));
        RekorBodies.check(entry, expected);
        if (entry.signedEntryTimestamp().isEmpty() && entry.inclusionProof().isEmpty()) {
            throw new SigstoreException(SigstoreReason.MALFORMED_BUNDLE, "the log entry has neither a signed entry timestamp nor an inclusion proof");
        }
        if (entry.inclusionProof().isPresent()) {
            checkInclusion(entry, entry.inclusionProof().get(), log);
        }
        if (entry.signedEntryTimestamp().isEmpty() || entry.rekorV2()) {
            return Optional.empty();
        }
        if (!Signatures.verify(log.key(), signedEntryTimestampPayload(entry), entry.signedEntryTimestamp().get())) {
            throw new SigstoreException(SigstoreReason.SET_INVALID, "the signed entry timestamp does not verify with the key of log '"
                    + log.baseUrl() + "'");
        }
        Instant integrated = Instant.ofEpochSecond(entry.integratedTime());
        if (!log.validity().contains(integrated)) {
            throw new SigstoreException(SigstoreReason.TLOG_UNTRUSTED, "the entry's integrated time " + integrated
                    + " is outside the validity of log '" + log.baseUrl() + "' (" + log.validity() + ")");
        }
        return Optional.of(new VerifiedBundle.SigningTime(integrated, VerifiedBundle.TimeSource.TLOG_SIGNED_ENTRY_TIMESTAMP, log.baseUrl()));
    }

    /** Rekor v1's SET is over canonical JSON (sorted keys, no spaces) of these four fields. */
    private static byte[] signedEntryTimestampPayload(Bundle.TlogEntry entry) {
        String payload = "{\"body\":\"" + Base64.getEncoder().encodeToString(entry.canonicalizedBody()) + "\",\"integratedTime\":"
                + entry.integratedTime() + ",\"logID\":\"" + HexFormat.of().formatHex(entry.logId()) + "\",\"logIndex\":" + entry.logIndex() + "}";
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The checkpoint, when there is one, must be signed by the log and name the proof's tree; the proof must lead
     * from the entry to that root. Without a checkpoint (v0.1 bundles) the root is unsigned and only the SET vouches.
     */
    private static void checkInclusion(Bundle.TlogEntry entry, Bundle.InclusionProof proof, TrustedRoot.Log log) throws SigstoreException {
        if (proof.checkpoint().isEmpty() && (entry.signedEntryTimestamp().isEmpty() || entry.rekorV2())) {
            throw new SigstoreException(SigstoreReason.CHECKPOINT_INVALID, "the inclusion proof has no checkpoint, and no SET vouches for the entry");
        }
        if (proof.checkpoint().isPresent()) {
            Checkpoint checkpoint = Checkpoint.parse(proof.checkpoint().get());
            if (!checkpoint.signedBy(log)) {
                throw new SigstoreException(SigstoreReason.CHECKPOINT_INVALID, "the checkpoint carries no signature that verifies with the key of log '"
                        + log.baseUrl() + "'");
            }
            if (checkpoint.treeSize() != proof.treeSize() || !MessageDigest.isEqual(checkpoint.rootHash(), proof.rootHash())) {
                throw new SigstoreException(SigstoreReason.CHECKPOINT_INVALID, "the checkpoint (tree size " + checkpoint.treeSize()
                        + ") does not name the tree the inclusion proof is for (tree size " + proof.treeSize() + ")"
                        + (checkpoint.treeSize() == proof.treeSize() ? ": the root hashes differ" : ""));
            }
        }
        byte[] root = MerkleTree.rootFromInclusionProof(proof.logIndex(), proof.treeSize(), MerkleTree.leafHash(entry.canonicalizedBody()),
                proof.hashes());
        if (root == null || !MessageDigest.isEqual(root, proof.rootHash())) {
            throw new SigstoreException(SigstoreReason.INCLUSION_PROOF_INVALID, "the inclusion proof of entry " + proof.logIndex()
                    + " does not lead to the root hash of the tree of size " + proof.treeSize());
        }
    }

    /**
     * Code signing usage, validity at every proven time, then the chain to a CA valid at each; returns the leaf's
     * issuer. sigstore-go ({@code pkg/verify/certificate.go}) asks the same of the leaf: extended key usage code
     * signing, as Fulcio issues it ({@code docs/certificate-specification.md}).
     */
    private X509Certificate checkCertificate(X509Certificate leaf, List<VerifiedBundle.SigningTime> times) throws SigstoreException {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            usages = null;
        }
        if (usages == null || !usages.contains(CODE_SIGNING_USAGE)) {
            throw new SigstoreException(SigstoreReason.CERTIFICATE_UNTRUSTED, "the certificate is not for code signing (its extended key usage"
                    + " does not name id-kp-codeSigning)");
        }
        for (VerifiedBundle.SigningTime time : times) {
            try {
                leaf.checkValidity(Date.from(time.time()));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new SigstoreException(SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME, "the signing time " + time.time() + " ("
                        + describe(time.source()) + ") is outside the certificate's validity " + leaf.getNotBefore().toInstant() + " to "
                        + leaf.getNotAfter().toInstant());
            }
        }
        X509Certificate issuer = null;
        for (VerifiedBundle.SigningTime time : times) {
            Optional<X509Certificate> found = Optional.empty();
            for (TrustedRoot.Authority ca : root.certificateAuthorities()) {
                if (ca.validity().contains(time.time())) {
                    found = CertificateChains.validIssuer(leaf, ca, time.time());
                    if (found.isPresent()) {
                        break;
                    }
                }
            }
            if (found.isEmpty()) {
                throw new SigstoreException(SigstoreReason.CERTIFICATE_UNTRUSTED, "the certificate (issuer '"
                        + leaf.getIssuerX500Principal().getName() + "') does not chain to a certificate authority of the trusted root valid at "
                        + time.time());
            }
            issuer = found.get();
        }
        return issuer;
    }

    private static String describe(VerifiedBundle.TimeSource source) {
        return source == VerifiedBundle.TimeSource.RFC3161_TIMESTAMP ? "RFC 3161 timestamp" : "transparency log integrated time";
    }

    private static void checkIdentity(FulcioIdentity identity, SignerPolicy.CertificateIdentity policy) throws SigstoreException {
        String subject = identity.subjectAlternativeName().orElse(null);
        if (subject == null || !policy.subject().matches(subject)) {
            throw new SigstoreException(SigstoreReason.IDENTITY_MISMATCH, "the certificate identity is "
                    + (subject == null ? "missing (no URI or e-mail SAN)" : "'" + subject + "'") + ", not " + policy.subject());
        }
        String issuer = identity.issuer().orElse(null);
        if (issuer == null || !policy.issuer().matches(issuer)) {
            throw new SigstoreException(SigstoreReason.ISSUER_MISMATCH, "the certificate's OIDC issuer is "
                    + (issuer == null ? "missing (no Fulcio issuer extension)" : "'" + issuer + "'") + ", not " + policy.issuer());
        }
        for (Map.Entry<String, SignerPolicy.Matcher> rule : new TreeMap<>(policy.extensions()).entrySet()) {
            String value = identity.extensions().get(rule.getKey());
            if (value == null || !rule.getValue().matches(value)) {
                throw new SigstoreException(SigstoreReason.IDENTITY_MISMATCH, "the certificate's " + rule.getKey() + " extension is "
                        + (value == null ? "missing" : "'" + value + "'") + ", not " + rule.getValue());
            }
        }
    }
}
