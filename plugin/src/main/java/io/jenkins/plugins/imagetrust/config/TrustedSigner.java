package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.policy.ValidityWindow;
import io.jenkins.plugins.imagetrust.steps.ImageChecks;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What a trusted key and a trusted keyless identity on the global page share: a name, a validity window (notBefore
 * inclusive, notAfter exclusive, judged when an image is verified: the engine's {@link ValidityWindow}) and a revoked
 * flag, with their form checks. The field names are those saved configurations and JCasC files already use.
 */
public abstract class TrustedSigner {
    private final String name;
    private String notBefore;
    private String notAfter;
    private boolean revoked;

    protected TrustedSigner(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
    }

    /**
     * From when this signer is trusted (a date, meaning its start in UTC, or an RFC 3339 instant); may be empty. Judged
     * when an image is verified: before it, no signature by this signer counts.
     */
    @CheckForNull
    public String getNotBefore() {
        return notBefore;
    }

    @DataBoundSetter
    public void setNotBefore(String notBefore) {
        this.notBefore = Util.fixEmptyAndTrim(notBefore);
    }

    /** From when this signer is no longer trusted (the first instant it is not); may be empty. */
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
     * The engine's window of this signer.
     *
     * @throws IllegalArgumentException naming the field that is not a date or instant, or an empty window
     */
    @NonNull
    public ValidityWindow window() {
        return ValidityWindow.of(
                notBefore == null ? null : ValidityWindow.parseTime(notBefore),
                notAfter == null ? null : ValidityWindow.parseTime(notAfter),
                revoked);
    }

    /** The form checks of the shared fields. */
    public abstract static class SignerDescriptor<T extends TrustedSigner & Describable<T>> extends Descriptor<T> {
        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormValidation.validateRequired(value);
        }

        @POST
        public FormValidation doCheckNotBefore(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return checkInstant(value);
        }

        /** A date or instant, and later than {@code notBefore}: the end is exclusive, so equal bounds trust nothing. */
        @POST
        public FormValidation doCheckNotAfter(@QueryParameter String value, @QueryParameter String notBefore) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            FormValidation own = checkInstant(value);
            if (own.kind != FormValidation.Kind.OK
                    || Util.fixEmptyAndTrim(value) == null
                    || Util.fixEmptyAndTrim(notBefore) == null) {
                return own;
            }
            try {
                if (!ValidityWindow.parseTime(value.trim()).isAfter(ValidityWindow.parseTime(notBefore.trim()))) {
                    return FormValidation.error(Messages.TrustedSigner_EmptyWindow());
                }
            } catch (IllegalArgumentException e) {
                return FormValidation.ok(); // notBefore's own check reports it
            }
            return FormValidation.ok();
        }

        /** A date or an RFC 3339 instant, as {@link ValidityWindow#parseTime} reads it; empty is fine. */
        static FormValidation checkInstant(String value) {
            return ImageChecks.checkOptional(value, ValidityWindow::parseTime);
        }
    }
}
