package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;

/**
 * RFC 3161 timestamps over a signature, verified offline against the timestamp authorities of a trusted root
 * (BouncyCastle's {@code tsp} classes): the token's message imprint must be the hash of the signature bytes, the
 * token must be signed by a TSA certificate that chains to a TSA of the root valid at the token's time (the token's
 * embedded certificates are candidates, never trusted on their own), and that time must lie in the TSA's window.
 */
final class Rfc3161Timestamps {
    private static final Map<String, String> IMPRINT_ALGORITHMS = Map.of(
            NISTObjectIdentifiers.id_sha256.getId(), "SHA-256",
            NISTObjectIdentifiers.id_sha384.getId(), "SHA-384",
            NISTObjectIdentifiers.id_sha512.getId(), "SHA-512");

    /** A verified timestamp: its time and the TSA that vouched for it. */
    record VerifiedTimestamp(Instant time, String authority) {
    }

    private Rfc3161Timestamps() {
    }

    static VerifiedTimestamp verify(byte[] encoded, byte[] signature, TrustedRoot root) throws SigstoreException {
        TimeStampToken token = token(encoded);
        String algorithm = IMPRINT_ALGORITHMS.get(token.getTimeStampInfo().getMessageImprintAlgOID().getId());
        if (algorithm == null) {
            throw invalid("its message imprint uses an unsupported hash " + token.getTimeStampInfo().getMessageImprintAlgOID());
        }
        if (!MessageDigest.isEqual(hash(algorithm, signature), token.getTimeStampInfo().getMessageImprintDigest())) {
            throw invalid("its message imprint is not the hash of the bundle's signature");
        }
        Instant time = token.getTimeStampInfo().getGenTime().toInstant();
        List<String> problems = new ArrayList<>();
        for (TrustedRoot.Authority tsa : root.timestampAuthorities()) {
            for (X509Certificate candidate : signerCandidates(token, tsa)) {
                if (!tsa.validity().contains(time)) {
                    problems.add("its time " + time + " is outside the validity of TSA '" + tsa.uri() + "' (" + tsa.validity() + ")");
                    continue;
                }
                if (!chainsTo(candidate, tsa, time)) {
                    problems.add("its signing certificate '" + candidate.getSubjectX500Principal().getName() + "' does not chain to TSA '"
                            + tsa.uri() + "' at " + time);
                    continue;
                }
                try {
                    token.validate(verifier(candidate));
                    return new VerifiedTimestamp(time, tsa.uri());
                } catch (TSPValidationException e) {
                    problems.add("TSA '" + tsa.uri() + "': " + e.getMessage());
                } catch (TSPException | OperatorCreationException | RuntimeException e) {
                    throw invalid("its signature cannot be checked: " + e.getMessage());
                }
            }
        }
        if (problems.isEmpty()) {
            throw untrusted("it is not signed by a timestamp authority of the trusted root");
        }
        throw untrusted(String.join("; ", problems));
    }

    /**
     * The certificates that may have signed {@code token} for {@code tsa}, those whose identifier the token's signer
     * info names. When the root's chain starts with a leaf (not a CA), that leaf is the TSA: only it may sign, and a
     * different certificate embedded in the token is no candidate (timestamp-authority {@code pkg/verification},
     * {@code verifyEmbeddedLeafCert}). When the chain holds only CAs, the token must embed its signing certificate,
     * which must then chain to them.
     */
    private static List<X509Certificate> signerCandidates(TimeStampToken token, TrustedRoot.Authority tsa) {
        X509Certificate first = tsa.chain().get(0);
        List<X509Certificate> candidates = new ArrayList<>();
        if (!isCa(first)) {
            candidates.add(first);
        } else {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> embedded = token.getCertificates().getMatches((Selector<X509CertificateHolder>) null);
            for (X509CertificateHolder holder : embedded) {
                try {
                    candidates.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (java.security.cert.CertificateException e) {
                    // an embedded certificate that does not decode is no candidate
                }
            }
        }
        return candidates.stream().filter(c -> token.getSID().match(holder(c))).toList();
    }

    /**
     * Whether {@code signer} is trusted through {@code tsa} at {@code time}: the root's own leaf chains through the
     * certificates above it; an embedded certificate chains through the root's CA certificates. The leaf is never an
     * issuer, and a leaf without a CA above it anchors nothing (sigstore-go {@code pkg/root} reads the first
     * certificate as the leaf only when it is no CA, and needs a root).
     */
    private static boolean chainsTo(X509Certificate signer, TrustedRoot.Authority tsa, Instant time) {
        List<X509Certificate> chain = tsa.chain();
        if (!isCa(chain.get(0))) {
            if (chain.size() == 1) {
                return false;
            }
            chain = chain.subList(1, chain.size());
        }
        return CertificateChains.validIssuer(signer, new TrustedRoot.Authority(tsa.uri(), chain, tsa.validity()), time).isPresent();
    }

    private static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    private static TimeStampToken token(byte[] encoded) throws SigstoreException {
        try {
            TimeStampResponse response = new TimeStampResponse(encoded);
            if (response.getTimeStampToken() == null) {
                throw invalid("the response holds no token (status " + response.getStatus() + ")");
            }
            return response.getTimeStampToken();
        } catch (TSPException | IOException | RuntimeException notResponse) {
            try {
                return new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(encoded));
            } catch (TSPException | CMSException | IOException | RuntimeException e) {
                throw invalid("it is neither a DER TimeStampResp nor a timestamp token");
            }
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    private static SignerInformationVerifier verifier(X509Certificate certificate) throws OperatorCreationException {
        return new JcaSimpleSignerInfoVerifierBuilder().build(certificate);
    }

    private static byte[] hash(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    private static SigstoreException invalid(String message) {
        return new SigstoreException(SigstoreReason.TIMESTAMP_INVALID, "RFC 3161 timestamp: " + message);
    }

    private static SigstoreException untrusted(String message) {
        return new SigstoreException(SigstoreReason.TIMESTAMP_UNTRUSTED, "RFC 3161 timestamp: " + message);
    }
}
