package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.policy.ValidityWindow;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A trusted keyless signer on the global page, the counterpart of a {@link TrustedPublicKey} for images signed with a
 * Fulcio certificate: the OIDC issuer and the certificate's subject (SAN: a URI such as a CI workflow, or an e-mail),
 * each exact or a regular expression matching the whole value, optional Fulcio extension values (cosign's {@code
 * --certificate-github-workflow-*} checks), checked against one of the page's trusted roots. It counts in the same
 * threshold as keys, with the same validity window and revocation ({@link TrustedSigner}).
 */
public class KeylessIdentity extends TrustedSigner implements Describable<KeylessIdentity> {
    private String trustedRoot;
    private String issuer;
    private String issuerRegExp;
    private String subject;
    private String subjectRegExp;
    /** {@code name=value} lines: Fulcio certificate extensions that must be present with exactly these values. */
    private String extensions;

    @DataBoundConstructor
    public KeylessIdentity(String name) {
        super(name);
    }

    /** The name of the trusted root (on this page) the certificate must chain to; empty when there is only one. */
    @CheckForNull
    public String getTrustedRoot() {
        return trustedRoot;
    }

    @DataBoundSetter
    public void setTrustedRoot(String trustedRoot) {
        this.trustedRoot = Util.fixEmptyAndTrim(trustedRoot);
    }

    /** The OIDC issuer exactly, e.g. {@code https://token.actions.githubusercontent.com}. */
    @CheckForNull
    public String getIssuer() {
        return issuer;
    }

    @DataBoundSetter
    public void setIssuer(String issuer) {
        this.issuer = Util.fixEmptyAndTrim(issuer);
    }

    /** The OIDC issuer as a regular expression matching the whole value (instead of {@link #getIssuer()}). */
    @CheckForNull
    public String getIssuerRegExp() {
        return issuerRegExp;
    }

    @DataBoundSetter
    public void setIssuerRegExp(String issuerRegExp) {
        this.issuerRegExp = Util.fixEmptyAndTrim(issuerRegExp);
    }

    /** The certificate subject (SAN) exactly: a URI or an e-mail address. */
    @CheckForNull
    public String getSubject() {
        return subject;
    }

    @DataBoundSetter
    public void setSubject(String subject) {
        this.subject = Util.fixEmptyAndTrim(subject);
    }

    /** The certificate subject as a regular expression matching the whole value (instead of {@link #getSubject()}). */
    @CheckForNull
    public String getSubjectRegExp() {
        return subjectRegExp;
    }

    @DataBoundSetter
    public void setSubjectRegExp(String subjectRegExp) {
        this.subjectRegExp = Util.fixEmptyAndTrim(subjectRegExp);
    }

    /**
     * Fulcio certificate extensions the certificate must carry with exactly these values, one {@code name=value} per
     * line, e.g. {@code githubWorkflowTrigger=push}; may be empty.
     */
    @CheckForNull
    public String getExtensions() {
        return extensions;
    }

    @DataBoundSetter
    public void setExtensions(String extensions) {
        this.extensions = Util.fixEmptyAndTrim(extensions);
    }

    /**
     * The identity rule: subject and issuer, each exactly one of the exact and the regular-expression form, and the
     * extension values.
     *
     * @throws IllegalArgumentException naming the field that is missing, doubled or not valid
     */
    @NonNull
    public SignerPolicy.CertificateIdentity toSignerPolicy() {
        try {
            return new SignerPolicy.CertificateIdentity(matcher("subject", subject, subjectRegExp),
                    matcher("issuer", issuer, issuerRegExp), parseExtensions(extensions));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted identity '" + getName() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The engine's trusted identity under {@code root}: the rule, the root, the window and revocation.
     *
     * @throws IllegalArgumentException naming what is wrong with a field
     * @throws SigstoreException when the root cannot be read
     */
    @NonNull
    public TrustedIdentity toEngineIdentity(@NonNull TrustedSigstoreRoot root) throws SigstoreException {
        SignerPolicy.CertificateIdentity rule = toSignerPolicy();
        ValidityWindow window;
        try {
            window = window();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted identity '" + getName() + "': " + e.getMessage(), e);
        }
        return TrustedIdentity.builder(getName(), rule, root.getName(), root.toEngineRoot())
                .notBefore(window.notBefore().orElse(null))
                .notAfter(window.notAfter().orElse(null))
                .revoked(window.revoked())
                .build();
    }

    private static SignerPolicy.Matcher matcher(String field, String exact, String regex) {
        if ((exact == null) == (regex == null)) {
            throw new IllegalArgumentException("needs exactly one of " + field + " and " + field + "RegExp");
        }
        return exact != null ? SignerPolicy.Matcher.exact(exact) : SignerPolicy.Matcher.regex(regex);
    }

    /**
     * {@code name=value} lines (blank lines skipped) as exact extension rules. Whether each name is a Fulcio extension is
     * the engine's to say ({@link SignerPolicy.CertificateIdentity}), so the page and policy files accept the same names.
     *
     * @throws IllegalArgumentException naming the line without {@code =}, with an empty name or value, or a repeated name
     */
    static Map<String, SignerPolicy.Matcher> parseExtensions(@CheckForNull String text) {
        Map<String, SignerPolicy.Matcher> rules = new LinkedHashMap<>();
        if (text == null) {
            return rules;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            String name = equals < 0 ? "" : line.substring(0, equals).trim();
            String value = equals < 0 ? "" : line.substring(equals + 1).trim();
            if (name.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException("extensions line " + (i + 1) + " '" + line
                        + "' is not name=value, e.g. githubWorkflowTrigger=push");
            }
            if (rules.put(name, SignerPolicy.Matcher.exact(value)) != null) {
                throw new IllegalArgumentException("extensions line " + (i + 1) + " names '" + name + "' a second time");
            }
        }
        return rules;
    }

    /** The form of one trusted identity. */
    @Extension
    @Symbol("trustedIdentity")
    public static final class DescriptorImpl extends SignerDescriptor<KeylessIdentity> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KeylessIdentity_DisplayName();
        }

        @POST
        public FormValidation doCheckSubjectRegExp(@QueryParameter String value, @QueryParameter String subject) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return checkPair(subject, value, "subject");
        }

        @POST
        public FormValidation doCheckIssuerRegExp(@QueryParameter String value, @QueryParameter String issuer) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return checkPair(issuer, value, "issuer");
        }

        /** Each line {@code name=value} with a Fulcio extension name the engine knows. */
        @POST
        public FormValidation doCheckExtensions(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact("-"), SignerPolicy.Matcher.exact("-"),
                        parseExtensions(Util.fixEmptyAndTrim(value)));
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        private static FormValidation checkPair(String exact, String regex, String field) {
            boolean hasExact = Util.fixEmptyAndTrim(exact) != null;
            String expression = Util.fixEmptyAndTrim(regex);
            if (hasExact == (expression != null)) {
                return FormValidation.error(Messages.KeylessIdentity_ExactlyOne(field));
            }
            if (expression != null) {
                try {
                    SignerPolicy.Matcher.regex(expression);
                } catch (IllegalArgumentException e) {
                    return FormValidation.error(e.getMessage());
                }
            }
            return FormValidation.ok();
        }
    }
}
