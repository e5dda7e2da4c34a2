package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A trusted keyless signer on the global page, the counterpart of a {@link TrustedPublicKey} for images signed with a
 * Fulcio certificate: the OIDC issuer and the certificate's subject (SAN: a URI such as a CI workflow, or an e-mail),
 * each exact or a regular expression matching the whole value, checked against one of the page's trusted roots. It
 * counts in the same threshold as keys, with the same validity window and revocation.
 */
public class KeylessIdentity implements Describable<KeylessIdentity> {
    private final String name;
    private String trustedRoot;
    private String issuer;
    private String issuerRegExp;
    private String subject;
    private String subjectRegExp;
    private String notBefore;
    private String notAfter;
    private boolean revoked;

    @DataBoundConstructor
    public KeylessIdentity(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
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

    /** From when signatures by this identity count (judged at verification time); may be empty. */
    @CheckForNull
    public String getNotBefore() {
        return notBefore;
    }

    @DataBoundSetter
    public void setNotBefore(String notBefore) {
        this.notBefore = Util.fixEmptyAndTrim(notBefore);
    }

    /** The last instant signatures by this identity count; may be empty. */
    @CheckForNull
    public String getNotAfter() {
        return notAfter;
    }

    @DataBoundSetter
    public void setNotAfter(String notAfter) {
        this.notAfter = Util.fixEmptyAndTrim(notAfter);
    }

    public boolean isRevoked() {
        return revoked;
    }

    @DataBoundSetter
    public void setRevoked(boolean revoked) {
        this.revoked = revoked;
    }

    /**
     * The identity rule: subject and issuer, each exactly one of the exact and the regular-expression form.
     *
     * @throws IllegalArgumentException naming the field that is missing, doubled or not a valid expression
     */
    @NonNull
    public SignerPolicy.CertificateIdentity toSignerPolicy() {
        return new SignerPolicy.CertificateIdentity(
                matcher("subject", subject, subjectRegExp), matcher("issuer", issuer, issuerRegExp));
    }

    private SignerPolicy.Matcher matcher(String field, String exact, String regex) {
        if ((exact == null) == (regex == null)) {
            throw new IllegalArgumentException("trusted identity '" + name + "' needs exactly one of " + field
                    + " and " + field + "RegExp");
        }
        return exact != null ? SignerPolicy.Matcher.exact(exact) : SignerPolicy.Matcher.regex(regex);
    }

    /** The form of one trusted identity. */
    @Extension
    @Symbol("trustedIdentity")
    public static final class DescriptorImpl extends Descriptor<KeylessIdentity> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KeylessIdentity_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormValidation.validateRequired(value);
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

        @POST
        public FormValidation doCheckNotBefore(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return TrustedPublicKey.DescriptorImpl.checkInstant(value);
        }

        @POST
        public FormValidation doCheckNotAfter(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return TrustedPublicKey.DescriptorImpl.checkInstant(value);
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
