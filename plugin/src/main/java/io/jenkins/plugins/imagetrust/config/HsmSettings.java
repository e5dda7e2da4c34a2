package io.jenkins.plugins.imagetrust.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The hardware security module (PKCS#11) part of the global page: the module, the slot, the key, the PIN credential and
 * the jobs allowed to sign with it. Immutable: the global page replaces it as a whole and saves.
 */
public final class HsmSettings implements Describable<HsmSettings> {
    private final String modulePath;
    private final String slot;
    private final String keyAlias;
    private final String pinCredentialsId;
    private final String allowedJobs;

    @DataBoundConstructor
    public HsmSettings(String modulePath, String slot, String keyAlias, String pinCredentialsId, String allowedJobs) {
        this.modulePath = Util.fixEmptyAndTrim(modulePath);
        this.slot = Util.fixEmptyAndTrim(slot);
        this.keyAlias = Util.fixEmptyAndTrim(keyAlias);
        this.pinCredentialsId = Util.fixEmptyAndTrim(pinCredentialsId);
        this.allowedJobs = Util.fixEmptyAndTrim(allowedJobs);
    }

    /** No module configured, no job allowed. */
    @NonNull
    static HsmSettings none() {
        return new HsmSettings(null, null, null, null, null);
    }

    /** The PKCS#11 module (a shared library) on the controller. */
    @CheckForNull
    public String getModulePath() {
        return modulePath;
    }

    /** The slot id; empty for the first slot that holds a token (the JDK cannot choose a token by its label). */
    @CheckForNull
    public String getSlot() {
        return slot;
    }

    /** The label (alias) of the private key on the token. */
    @CheckForNull
    public String getKeyAlias() {
        return keyAlias;
    }

    /** A secret text credential of Jenkins itself (System scope recommended) holding the token's user PIN. */
    @CheckForNull
    public String getPinCredentialsId() {
        return pinCredentialsId;
    }

    /** A regular expression over job full names allowed to sign with the HSM; empty means no job may. */
    @CheckForNull
    public String getAllowedJobs() {
        return allowedJobs;
    }

    /** Whether module, key and PIN are all set. */
    public boolean isConfigured() {
        return modulePath != null && keyAlias != null && pinCredentialsId != null;
    }

    /** Whether the job {@code fullName} may sign with the HSM. Fails closed: no pattern or a broken one allows none. */
    public boolean mayBeUsedBy(String fullName) {
        if (allowedJobs == null) {
            return false;
        }
        try {
            return Pattern.compile(allowedJobs).matcher(fullName).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    @NonNull
    HsmSettings withModulePath(String value) {
        return new HsmSettings(value, slot, keyAlias, pinCredentialsId, allowedJobs);
    }

    @NonNull
    HsmSettings withSlot(String value) {
        return new HsmSettings(modulePath, value, keyAlias, pinCredentialsId, allowedJobs);
    }

    @NonNull
    HsmSettings withKeyAlias(String value) {
        return new HsmSettings(modulePath, slot, value, pinCredentialsId, allowedJobs);
    }

    @NonNull
    HsmSettings withPinCredentialsId(String value) {
        return new HsmSettings(modulePath, slot, keyAlias, value, allowedJobs);
    }

    @NonNull
    HsmSettings withAllowedJobs(String value) {
        return new HsmSettings(modulePath, slot, keyAlias, pinCredentialsId, value);
    }

    /** The HSM section's form helpers. Every one is POST-only and answers administrators only. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<HsmSettings> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.HsmSettings_DisplayName();
        }

        @POST
        public FormValidation doCheckModulePath(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String text = Util.fixEmptyAndTrim(value);
            if (text == null) {
                return FormValidation.ok();
            }
            try {
                return Files.isRegularFile(Path.of(text))
                        ? FormValidation.ok()
                        : FormValidation.warning(Messages.ImageTrustConfiguration_ModuleMissing(text));
            } catch (InvalidPathException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckSlot(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String text = Util.fixEmptyAndTrim(value);
            return text == null || text.matches("\\d{1,18}")
                    ? FormValidation.ok()
                    : FormValidation.error(Messages.ImageTrustConfiguration_BadSlot(text));
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String text = Util.fixEmptyAndTrim(value);
            if (text == null) {
                return FormValidation.ok(Messages.ImageTrustConfiguration_NoJobMayUseHsm());
            }
            try {
                Pattern.compile(text);
                return FormValidation.ok();
            } catch (PatternSyntaxException e) {
                return FormValidation.error(e.getDescription());
            }
        }

        @POST
        public ListBoxModel doFillPinCredentialsIdItems(@QueryParameter String pinCredentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return new StandardListBoxModel()
                    .includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            Jenkins.get(),
                            StringCredentials.class,
                            Collections.<DomainRequirement>emptyList(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(pinCredentialsId);
        }
    }
}
