package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Option(names = "--certificate-github-workflow-trigger", paramLabel = "EVENT",
            description = "The GitHub Actions event that started the signing workflow (push, release, ...), exactly.")
    String githubWorkflowTrigger;

    @Option(names = "--certificate-github-workflow-sha", paramLabel = "SHA",
            description = "The commit the signing workflow ran on, exactly.")
    String githubWorkflowSha;

    @Option(names = "--certificate-github-workflow-name", paramLabel = "NAME",
            description = "The signing workflow's name, exactly.")
    String githubWorkflowName;

    @Option(names = "--certificate-github-workflow-repository", paramLabel = "OWNER/REPO",
            description = "The repository the signing workflow ran in, exactly.")
    String githubWorkflowRepository;

    @Option(names = "--certificate-github-workflow-ref", paramLabel = "REF",
            description = "The git ref the signing workflow ran on (refs/heads/main, refs/tags/v1.2), exactly.")
    String githubWorkflowRef;

    /** Whether any of the options was given. */
    boolean any() {
        return identity != null || identityRegexp != null || issuer != null || issuerRegexp != null
                || !githubWorkflowChecks().isEmpty();
    }

    /**
     * The {@code --certificate-github-workflow-*} checks by the name of the certificate extension each compares: the
     * deprecated v1 GitHub workflow extensions, which cosign's flags of these names check (cosign
     * {@code pkg/cosign/verify.go}, {@code CheckOpts.CertGithubWorkflow*}) and Fulcio still issues for GitHub Actions.
     */
    private Map<String, SignerPolicy.Matcher> githubWorkflowChecks() {
        Map<String, SignerPolicy.Matcher> checks = new LinkedHashMap<>();
        putExact(checks, "githubWorkflowTrigger", githubWorkflowTrigger);
        putExact(checks, "githubWorkflowSha", githubWorkflowSha);
        putExact(checks, "githubWorkflowName", githubWorkflowName);
        putExact(checks, "githubWorkflowRepository", githubWorkflowRepository);
        putExact(checks, "githubWorkflowRef", githubWorkflowRef);
        return checks;
    }

    private static void putExact(Map<String, SignerPolicy.Matcher> checks, String extension, String expected) {
        if (expected != null) {
            checks.put(extension, SignerPolicy.Matcher.exact(expected));
        }
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
                    issuer != null ? SignerPolicy.Matcher.exact(issuer) : SignerPolicy.Matcher.regex(issuerRegexp),
                    githubWorkflowChecks()));
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
