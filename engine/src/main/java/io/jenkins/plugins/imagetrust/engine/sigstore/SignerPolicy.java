package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Who must have signed: a certificate identity (subject alternative name and OIDC issuer, each exact or a regular
 * expression) for keyless bundles, or a public key for managed-key bundles.
 */
public sealed interface SignerPolicy permits SignerPolicy.CertificateIdentity, SignerPolicy.ManagedKey {

    /** A string rule: exact, or a regular expression that must match the whole value (anchored, unlike cosign's search). */
    record Matcher(String text, boolean regex, Pattern pattern) {
        public static Matcher exact(String value) {
            return new Matcher(Objects.requireNonNull(value), false, null);
        }

        /** @throws IllegalArgumentException naming the expression when it does not compile */
        public static Matcher regex(String expression) {
            try {
                return new Matcher(expression, true, Pattern.compile(expression));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + expression + "' is not a valid regular expression: " + e.getDescription());
            }
        }

        public boolean matches(String value) {
            return regex ? pattern.matcher(value).matches() : text.equals(value);
        }

        @Override
        public String toString() {
            return regex ? "matching /" + text + "/" : "'" + text + "'";
        }
    }

    /**
     * Keyless: the certificate's SAN and issuer must match, and each named Fulcio extension (by its name in
     * {@link FulcioIdentity#extensions()}, such as {@code sourceRepositoryURI}, {@code sourceRepositoryRef},
     * {@code buildTrigger}) must be present and match: cosign's {@code --certificate-github-workflow-*} checks.
     */
    record CertificateIdentity(Matcher subject, Matcher issuer, Map<String, Matcher> extensions) implements SignerPolicy {
        public CertificateIdentity {
            Objects.requireNonNull(subject);
            Objects.requireNonNull(issuer);
            for (String name : extensions.keySet()) {
                if (!FulcioIdentity.EXTENSION_NAMES.contains(name)) {
                    throw new IllegalArgumentException("'" + name + "' is not a Fulcio certificate extension; known: "
                            + FulcioIdentity.EXTENSION_NAMES);
                }
            }
            extensions = Map.copyOf(extensions);
        }

        public CertificateIdentity(Matcher subject, Matcher issuer) {
            this(subject, issuer, Map.of());
        }
    }

    /** A managed key: the bundle must be signed with this key. */
    record ManagedKey(PublicKey key) implements SignerPolicy {
        public ManagedKey {
            Objects.requireNonNull(key);
        }
    }
}
