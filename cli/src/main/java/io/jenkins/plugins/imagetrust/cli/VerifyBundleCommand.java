package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.sigstore.Bundle;
import io.jenkins.plugins.imagetrust.engine.sigstore.BundleVerifier;
import io.jenkins.plugins.imagetrust.engine.sigstore.FulcioIdentity;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import io.jenkins.plugins.imagetrust.engine.sigstore.VerifiedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code image-trust verify-bundle}: verifies a Sigstore bundle for a file or digest offline, against a pinned trusted
 * root. The command line is the Sigstore conformance suite's verify protocol ({@code docs/cli_protocol.md} of
 * sigstore/sigstore-conformance), so the suite's cases can be run through it.
 */
@Command(name = "verify-bundle", description = {"Verify a Sigstore bundle (v0.1-v0.3, cosign sign-blob/attest --bundle) for a file or digest,",
        "offline, against a pinned trusted root: Fulcio certificate chain, Rekor entry or RFC 3161 timestamp, SCT, identity.",
        "Exit 0 verified, 3 rejected (with the reason code), 1 unreadable input, 2 usage."})
final class VerifyBundleCommand extends ContextCommand {
    /** Where the trusted root comes from when {@code --trusted-root} is not given. */
    static final String TRUSTED_ROOT_VARIABLE = "IMAGE_TRUST_TRUSTED_ROOT";
    private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The Sigstore bundle (JSON) to verify.")
    Path bundle;

    @Mixin
    CertificateIdentityOptions certificate = new CertificateIdentityOptions();

    @Option(names = "--key", paramLabel = "FILE|env://VAR",
            description = "Verify a managed-key bundle with this public key (PKIX PEM) instead of a certificate identity.")
    String key;

    @Option(names = "--trusted-root", paramLabel = "FILE", description = {"The Sigstore trusted_root.json to trust (nothing is fetched).",
            "Default: the file named by $" + TRUSTED_ROOT_VARIABLE + "."})
    Path trustedRoot;

    @Option(names = "--staging", hidden = true,
            description = "Accepted for the conformance protocol; offline, the staging instance is chosen by its --trusted-root.")
    boolean staging;

    @Parameters(index = "0", paramLabel = "FILE_OR_DIGEST",
            description = {"The artifact: a file, or its digest as sha256:<64 hex> (when no such file exists).",
                    "For a DSSE in-toto bundle, a subject of the statement."})
    String artifact;

    @Override
    public Integer call() throws Exception {
        SignerPolicy policy = policy();
        Path rootFile = trustedRootFile();
        TrustedRoot root = CertificateIdentityOptions.readTrustedRoot(rootFile);
        Digest digest = artifactDigest();
        byte[] bundleBytes = CappedRead.file(bundle, Bundle.MAX_BYTES, "--bundle");
        VerifiedBundle verified;
        try {
            verified = new BundleVerifier(root).verify(Bundle.parse(bundleBytes), policy, digest);
        } catch (SigstoreException e) {
            context.err().println("image-trust: rejected (" + e.reason() + "): " + e.getMessage());
            context.err().flush();
            return ExitCodes.NOT_TRUSTED;
        }
        context.out().println("verified: " + verified.artifact() + " signed by " + describe(verified.signer()) + ", "
                + verified.signingTimes().stream().map(t -> t.time() + " (" + t.source() + " " + t.authority() + ")")
                        .collect(Collectors.joining(", ", "signing time proven: ", "")));
        context.out().flush();
        return ExitCodes.OK;
    }

    private SignerPolicy policy() throws CliUsageException, IOException {
        if (key != null) {
            if (certificate.any()) {
                throw new CliUsageException("--key and --certificate-identity/--certificate-oidc-issuer exclude each other:"
                        + " a bundle is signed either with a managed key or with a certificate");
            }
            try {
                return new SignerPolicy.ManagedKey(PublicKeys.parse(new String(KeyReferences.read(context, key), StandardCharsets.UTF_8)));
            } catch (KeyException e) {
                throw new IOException("--key " + key + ": " + e.getMessage());
            }
        }
        Optional<SignerPolicy.CertificateIdentity> identity = certificate.certificateIdentity("--key for a managed-key bundle");
        if (identity.isEmpty()) {
            throw new CliUsageException("give --certificate-identity (or --certificate-identity-regexp), or --key for a managed-key bundle");
        }
        return identity.get();
    }

    private Path trustedRootFile() throws CliUsageException {
        if (trustedRoot != null) {
            return trustedRoot;
        }
        String fromEnvironment = context.environment().get(TRUSTED_ROOT_VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            throw new CliUsageException("no trusted root: give --trusted-root FILE or set " + TRUSTED_ROOT_VARIABLE
                    + " (nothing is fetched; the public-good root is targets/trusted_root.json of sigstore/root-signing)");
        }
        return Path.of(fromEnvironment);
    }

    /** The protocol's rule: {@code sha256:<64 hex>} that is not a file on disk is a digest; anything else a file. */
    private Digest artifactDigest() throws IOException {
        if (SHA256_DIGEST.matcher(artifact).matches() && !Files.exists(Path.of(artifact))) {
            return Digest.parse(artifact);
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(Path.of(artifact)), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.sha256FromRaw(sha256.digest());
    }

    private static String describe(VerifiedBundle.Signer signer) {
        if (signer instanceof VerifiedBundle.KeySigner keySigner) {
            return "the given key (" + PublicKeys.describe(keySigner.key()) + ")";
        }
        FulcioIdentity identity = ((VerifiedBundle.CertificateSigner) signer).identity();
        return "'" + identity.subjectAlternativeName().orElse("") + "' (issuer " + identity.issuer().orElse("") + ")";
    }
}
