package io.jenkins.plugins.imagetrust.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.credentials.KeyDescriptions;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.http.HostPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.steps.ImageChecks;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The Image Trust section of Manage Jenkins, System: the trusted keys every {@code verifyImage} checks against, the
 * defaults of both steps, the Notary server, and the hardware security module. Only administrators may change it.
 */
@Extension
@Symbol("imageTrust")
public class ImageTrustConfiguration extends GlobalConfiguration {
    static final String MODE_ENFORCE = "enforce";
    static final String MODE_WARN = "warn";

    private List<TrustedPublicKey> trustedKeys = new ArrayList<>();
    private String defaultMode = MODE_ENFORCE;
    private String defaultSignatureFormat = SignatureFormat.BOTH.id();
    private int defaultThreshold = 1;
    private String signatureRepository;
    private String insecureRegistries;
    private String notaryServerUrl;
    private String notaryCaCertificate;
    private String notaryRootCredentialsId;
    private String pkcs11ModulePath;
    private String pkcs11Slot;
    private String pkcs11KeyAlias;
    private String pkcs11PinCredentialsId;
    private String pkcs11AllowedJobs;

    public ImageTrustConfiguration() {
        load();
    }

    /** The single instance. */
    @NonNull
    public static ImageTrustConfiguration get() {
        return ExtensionList.lookupSingleton(ImageTrustConfiguration.class);
    }

    /**
     * Binds the submitted form. A form whose key list was emptied carries no {@code trustedKeys} at all, and binding
     * would then leave the old keys in place: the list is reset first so that deleting every key really deletes them.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Jenkins.get().checkPermission(getRequiredGlobalConfigPagePermission());
        trustedKeys = new ArrayList<>();
        return super.configure(req, json);
    }

    @NonNull
    public List<TrustedPublicKey> getTrustedKeys() {
        return trustedKeys == null ? List.of() : Collections.unmodifiableList(trustedKeys);
    }

    @DataBoundSetter
    public void setTrustedKeys(List<TrustedPublicKey> trustedKeys) {
        this.trustedKeys = trustedKeys == null ? new ArrayList<>() : new ArrayList<>(trustedKeys);
        save();
    }

    /** {@code enforce} (a failed verification fails the build) or {@code warn} (it marks the build unstable). */
    @NonNull
    public String getDefaultMode() {
        return defaultMode == null ? MODE_ENFORCE : defaultMode;
    }

    @DataBoundSetter
    public void setDefaultMode(String defaultMode) {
        this.defaultMode = parseMode(defaultMode) == EnforcementMode.WARN ? MODE_WARN : MODE_ENFORCE;
        save();
    }

    /**
     * What {@code signImage} writes when the step does not say: {@code both} (the {@code .sig} tag and the cosign 3
     * bundle referrer), {@code legacy} or {@code bundle}.
     */
    @NonNull
    public String getDefaultSignatureFormat() {
        return defaultSignatureFormat == null ? SignatureFormat.BOTH.id() : defaultSignatureFormat;
    }

    /** @throws IllegalArgumentException for anything but {@code both}, {@code legacy} or {@code bundle} (empty: both) */
    @DataBoundSetter
    public void setDefaultSignatureFormat(String defaultSignatureFormat) {
        String text = Util.fixEmptyAndTrim(defaultSignatureFormat);
        this.defaultSignatureFormat = text == null
                ? SignatureFormat.BOTH.id()
                : SignatureFormat.fromId(text).id();
        save();
    }

    /** How many valid signatures from distinct trusted keys an image needs by default. */
    public int getDefaultThreshold() {
        return Math.max(1, defaultThreshold);
    }

    @DataBoundSetter
    public void setDefaultThreshold(int defaultThreshold) {
        this.defaultThreshold = Math.max(1, defaultThreshold);
        save();
    }

    /** Where signatures are stored when not next to the image (cosign's COSIGN_REPOSITORY); empty for next to it. */
    @CheckForNull
    public String getSignatureRepository() {
        return signatureRepository;
    }

    @DataBoundSetter
    public void setSignatureRepository(String signatureRepository) {
        this.signatureRepository = Util.fixEmptyAndTrim(signatureRepository);
        save();
    }

    /** Registries (host:port) reached over plain HTTP, separated by commas or new lines. Loopback always is. */
    @CheckForNull
    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
        save();
    }

    /** The insecure registries as a set of host:port. */
    @NonNull
    public Set<String> insecureRegistrySet() {
        Set<String> hosts = new LinkedHashSet<>();
        if (insecureRegistries != null) {
            for (String host : insecureRegistries.split("[,\\s]+")) {
                if (!host.isEmpty()) {
                    hosts.add(host);
                }
            }
        }
        return hosts;
    }

    @CheckForNull
    public String getNotaryServerUrl() {
        return notaryServerUrl;
    }

    @DataBoundSetter
    public void setNotaryServerUrl(String notaryServerUrl) {
        this.notaryServerUrl = Util.fixEmptyAndTrim(notaryServerUrl);
        save();
    }

    /** PEM of the CA that issued the Notary server's TLS certificate; empty to use the JVM's trust store. */
    @CheckForNull
    public String getNotaryCaCertificate() {
        return notaryCaCertificate;
    }

    @DataBoundSetter
    public void setNotaryCaCertificate(String notaryCaCertificate) {
        this.notaryCaCertificate = Util.fixEmptyAndTrim(notaryCaCertificate);
        save();
    }

    /**
     * The signing-key credential holding the Notary root key: needed to initialise a new trusted repository, and it
     * pins the root of existing ones. Empty: only repositories whose root this controller has already seen.
     */
    @CheckForNull
    public String getNotaryRootCredentialsId() {
        return notaryRootCredentialsId;
    }

    @DataBoundSetter
    public void setNotaryRootCredentialsId(String notaryRootCredentialsId) {
        this.notaryRootCredentialsId = Util.fixEmptyAndTrim(notaryRootCredentialsId);
        save();
    }

    /** Where this controller remembers the Notary metadata versions it has seen (rollback protection). */
    @NonNull
    public Path notaryTrustDirectory() {
        return Jenkins.get().getRootDir().toPath().resolve("image-trust").resolve("notary-trust");
    }

    @CheckForNull
    public String getPkcs11ModulePath() {
        return pkcs11ModulePath;
    }

    @DataBoundSetter
    public void setPkcs11ModulePath(String pkcs11ModulePath) {
        this.pkcs11ModulePath = Util.fixEmptyAndTrim(pkcs11ModulePath);
        save();
    }

    /** The slot id; empty for the first slot that holds a token (the JDK cannot choose a token by its label). */
    @CheckForNull
    public String getPkcs11Slot() {
        return pkcs11Slot;
    }

    @DataBoundSetter
    public void setPkcs11Slot(String pkcs11Slot) {
        this.pkcs11Slot = Util.fixEmptyAndTrim(pkcs11Slot);
        save();
    }

    /** The label (alias) of the private key on the token. */
    @CheckForNull
    public String getPkcs11KeyAlias() {
        return pkcs11KeyAlias;
    }

    @DataBoundSetter
    public void setPkcs11KeyAlias(String pkcs11KeyAlias) {
        this.pkcs11KeyAlias = Util.fixEmptyAndTrim(pkcs11KeyAlias);
        save();
    }

    /** A secret text credential of Jenkins itself (System scope recommended) holding the token's user PIN. */
    @CheckForNull
    public String getPkcs11PinCredentialsId() {
        return pkcs11PinCredentialsId;
    }

    @DataBoundSetter
    public void setPkcs11PinCredentialsId(String pkcs11PinCredentialsId) {
        this.pkcs11PinCredentialsId = Util.fixEmptyAndTrim(pkcs11PinCredentialsId);
        save();
    }

    /** A regular expression over job full names allowed to sign with the HSM; empty means no job may. */
    @CheckForNull
    public String getPkcs11AllowedJobs() {
        return pkcs11AllowedJobs;
    }

    @DataBoundSetter
    public void setPkcs11AllowedJobs(String pkcs11AllowedJobs) {
        this.pkcs11AllowedJobs = Util.fixEmptyAndTrim(pkcs11AllowedJobs);
        save();
    }

    /** Whether module, key and PIN are all set. */
    public boolean isPkcs11Configured() {
        return pkcs11ModulePath != null && pkcs11KeyAlias != null && pkcs11PinCredentialsId != null;
    }

    /** Whether the job {@code fullName} may sign with the HSM. Fails closed: no pattern or a broken one allows none. */
    public boolean mayUseHsm(String fullName) {
        if (pkcs11AllowedJobs == null) {
            return false;
        }
        try {
            return Pattern.compile(pkcs11AllowedJobs).matcher(fullName).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /**
     * {@code enforce} or {@code warn}, any case.
     *
     * @throws IllegalArgumentException naming the text otherwise
     */
    @NonNull
    public static EnforcementMode parseMode(@CheckForNull String mode) {
        String text = Util.fixEmptyAndTrim(mode);
        if (text == null || text.equalsIgnoreCase(MODE_ENFORCE)) {
            return EnforcementMode.ENFORCE;
        }
        if (text.equalsIgnoreCase(MODE_WARN)) {
            return EnforcementMode.WARN;
        }
        throw new IllegalArgumentException(Messages.ImageTrustConfiguration_BadMode(text));
    }

    // Form helpers. Every one is POST-only and answers administrators only.

    @POST
    public ListBoxModel doFillDefaultModeItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return modeItems(null);
    }

    @POST
    public ListBoxModel doFillDefaultSignatureFormatItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return signatureFormatItems(null);
    }

    /** The modes for a drop-down; {@code emptyLabel}, when given, first, for a step's "as configured here". */
    @NonNull
    public static ListBoxModel modeItems(@CheckForNull String emptyLabel) {
        ListBoxModel items = new ListBoxModel();
        if (emptyLabel != null) {
            items.add(emptyLabel, "");
        }
        items.add(Messages.ImageTrustConfiguration_ModeEnforce(), MODE_ENFORCE);
        items.add(Messages.ImageTrustConfiguration_ModeWarn(), MODE_WARN);
        return items;
    }

    /** The signature formats for a drop-down; {@code emptyLabel} as for {@link #modeItems}. */
    @NonNull
    public static ListBoxModel signatureFormatItems(@CheckForNull String emptyLabel) {
        ListBoxModel items = new ListBoxModel();
        if (emptyLabel != null) {
            items.add(emptyLabel, "");
        }
        items.add(Messages.ImageTrustConfiguration_FormatBoth(), SignatureFormat.BOTH.id());
        items.add(Messages.ImageTrustConfiguration_FormatLegacy(), SignatureFormat.LEGACY.id());
        items.add(Messages.ImageTrustConfiguration_FormatBundle(), SignatureFormat.BUNDLE.id());
        return items;
    }

    @POST
    public FormValidation doCheckDefaultThreshold(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormValidation.validatePositiveInteger(value);
    }

    @POST
    public FormValidation doCheckSignatureRepository(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ImageChecks.checkOptionalImage(value);
    }

    @POST
    public FormValidation doCheckInsecureRegistries(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String text = Util.fixEmptyAndTrim(value);
        if (text == null) {
            return FormValidation.ok();
        }
        for (String host : text.split("[,\\s]+")) {
            if (!host.isEmpty() && !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                return FormValidation.error(Messages.ImageTrustConfiguration_BadRegistryHost(host));
            }
        }
        return FormValidation.warning(Messages.ImageTrustConfiguration_InsecureWarning());
    }

    @POST
    public FormValidation doCheckNotaryServerUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String text = Util.fixEmptyAndTrim(value);
        if (text == null) {
            return FormValidation.ok();
        }
        try {
            URI uri = new URI(text);
            // the engine's rule (NotaryClient): https, or plain http to a loopback host
            boolean loopbackHttp = "http".equals(uri.getScheme()) && HostPolicy.isLoopbackHost(uri.getHost());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || loopbackHttp)) {
                return FormValidation.error(Messages.ImageTrustConfiguration_NotaryNotHttps());
            }
            return FormValidation.ok();
        } catch (URISyntaxException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public FormValidation doCheckNotaryCaCertificate(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok() : KeyDescriptions.describePublicKey(value);
    }

    @POST
    public FormValidation doCheckPkcs11ModulePath(@QueryParameter String value) {
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
    public FormValidation doCheckPkcs11Slot(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String text = Util.fixEmptyAndTrim(value);
        return text == null || text.matches("\\d{1,18}")
                ? FormValidation.ok()
                : FormValidation.error(Messages.ImageTrustConfiguration_BadSlot(text));
    }

    @POST
    public FormValidation doCheckPkcs11AllowedJobs(@QueryParameter String value) {
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
    public ListBoxModel doFillNotaryRootCredentialsIdItems(@QueryParameter String notaryRootCredentialsId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2,
                        Jenkins.get(),
                        ImageSigningKeyCredentials.class,
                        Collections.<DomainRequirement>emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(notaryRootCredentialsId);
    }

    @POST
    public ListBoxModel doFillPkcs11PinCredentialsIdItems(@QueryParameter String pkcs11PinCredentialsId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2,
                        Jenkins.get(),
                        StringCredentials.class,
                        Collections.<DomainRequirement>emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(pkcs11PinCredentialsId);
    }
}
