package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * cosign's keyless verification options, spelled as cosign spells them ({@code --certificate-identity[-regexp]},
 * {@code --certificate-oidc-issuer[-regexp]}), shared by {@code verify} and {@code verify-bundle}.
 */
final class CertificateIdentityOptions {
    @Option(names = "--certificate-identity", paramLabel = "IDENTITY",
            description = "The signer's identity: the certificate's SAN (URI or e-mail), exactly.")
    String identity;

    @Option(names = "--certificate-identity-regexp", paramLabel = "REGEX",
            description = "The same as a regular expression that must match the whole SAN.")
    String identityRegexp;

    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
            description = "The OIDC issuer the certificate names (Fulcio's issuer extension), exactly.")
    String issuer;

    @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEX",
            description = "The same as a regular expression that must match the whole issuer.")
    String issuerRegexp;

    /** Whether any of the options was given. */
    boolean any() {
        return identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    }

    /** The identity the options describe, or empty when none was given; {@code alternative} completes the usage error. */
    Optional<SignerPolicy.CertificateIdentity> certificateIdentity(String alternative) throws CliUsageException {
        if (!any()) {
            return Optional.empty();
        }
        if ((identity == null) == (identityRegexp == null)) {
            throw new CliUsageException(identity == null ? "give --certificate-identity (or --certificate-identity-regexp), or " + alternative
                    : "--certificate-identity and --certificate-identity-regexp exclude each other");
        }
        if ((issuer == null) == (issuerRegexp == null)) {
            throw new CliUsageException(issuer == null
                    ? "give --certificate-oidc-issuer (or --certificate-oidc-issuer-regexp) with the certificate identity"
                    : "--certificate-oidc-issuer and --certificate-oidc-issuer-regexp exclude each other");
        }
        try {
            return Optional.of(new SignerPolicy.CertificateIdentity(
                    identity != null ? SignerPolicy.Matcher.exact(identity) : SignerPolicy.Matcher.regex(identityRegexp),
                    issuer != null ? SignerPolicy.Matcher.exact(issuer) : SignerPolicy.Matcher.regex(issuerRegexp)));
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }
    }

    /** How the identity is named in reports: its SAN, or its expression. */
    String name() {
        return identity != null ? identity : identityRegexp;
    }

    /** Reads and parses a {@code trusted_root.json}, capped; an unreadable one is an input error (exit 1). */
    static TrustedRoot readTrustedRoot(Path file) throws IOException {
        try {
            return TrustedRoot.parse(CappedRead.file(file, TrustedRoot.MAX_BYTES, "--trusted-root"));
        } catch (SigstoreException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }
}
