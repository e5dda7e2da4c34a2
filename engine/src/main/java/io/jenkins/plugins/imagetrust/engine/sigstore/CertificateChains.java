package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** PKIX path validation of a leaf against one authority of the trusted root, at a given time, without revocation (offline). */
final class CertificateChains {
    private CertificateChains() {
    }

    /**
     * The certificate that issued {@code leaf} when {@code leaf} chains to {@code authority}'s root through its
     * intermediates, every certificate valid at {@code time}; empty otherwise.
     */
    static Optional<X509Certificate> validIssuer(X509Certificate leaf, TrustedRoot.Authority authority, Instant time) {
        List<X509Certificate> chain = authority.chain();
        X509Certificate anchor = chain.get(chain.size() - 1);
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        path.addAll(chain.subList(0, chain.size() - 1));
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(time));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            // The anchor's own validity is not checked by PKIX; the root's window is, by the caller, and its dates here.
            anchor.checkValidity(Date.from(time));
            return Optional.of(path.size() > 1 ? path.get(1) : anchor);
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
