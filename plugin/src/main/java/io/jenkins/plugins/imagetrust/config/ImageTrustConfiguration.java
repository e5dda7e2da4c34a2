package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.steps.ImageChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The Image Trust section of Manage Jenkins, System: the trusted keys every {@code verifyImage} checks against, the
 * defaults of both steps, the registries, and two nested sections: the Notary server ({@link NotarySettings}) and the
 * hardware security module ({@link HsmSettings}). Only administrators may change it.
 */
@Extension
@Symbol("imageTrust")
public class ImageTrustConfiguration extends GlobalConfiguration {
    static final String MODE_ENFORCE = "enforce";
    static final String MODE_WARN = "warn";
    /** The form sections (config.jelly's {@code f:property} fields) of the nested settings. */
    private static final String NOTARY_SECTION = "notary";

    private static final String HSM_SECTION = "hsm";

    private List<TrustedPublicKey> trustedKeys = new ArrayList<>();
    private List<KeylessIdentity> trustedIdentities = new ArrayList<>();
    private List<TrustedSigstoreRoot> trustedRoots = new ArrayList<>();
    private String defaultMode = MODE_ENFORCE;
    private String defaultSignatureFormat = SignatureFormat.BOTH.id();
    private int defaultThreshold = 1;
    private boolean defaultProvenance = true;
    private String signatureRepository;
    private String insecureRegistries;
    private NotarySettings notary = NotarySettings.none();
    private HsmSettings hsm = HsmSettings.none();

    // The flat fields of versions before the Notary and HSM settings were grouped. XStream still reads transient
    // fields, so an old saved configuration loads into them; load() moves them into the nested objects and the next
    // save writes the new shape only.
    @Deprecated
    private transient String notaryServerUrl;

    @Deprecated
    private transient String notaryCaCertificate;

    @Deprecated
    private transient String notaryRootCredentialsId;

    @Deprecated
    private transient String pkcs11ModulePath;

    @Deprecated
    private transient String pkcs11Slot;

    @Deprecated
    private transient String pkcs11KeyAlias;

    @Deprecated
    private transient String pkcs11PinCredentialsId;

    @Deprecated
    private transient String pkcs11AllowedJobs;

    public ImageTrustConfiguration() {
        load();
    }

    /**
     * Loads the saved configuration, moving the flat Notary and HSM fields of an older version into the nested objects.
     * Done here rather than in {@code readResolve} because {@code Descriptor.load} unmarshals into this instance and
     * ignores what {@code readResolve} returns.
     */
    @Override
    public synchronized void load() {
        super.load();
        migrateFlatFields();
    }

    @SuppressWarnings("deprecation")
    private void migrateFlatFields() {
        if (notaryServerUrl != null || notaryCaCertificate != null || notaryRootCredentialsId != null) {
            notary = new NotarySettings(notaryServerUrl, notaryCaCertificate, notaryRootCredentialsId);
        }
        if (pkcs11ModulePath != null
                || pkcs11Slot != null
                || pkcs11KeyAlias != null
                || pkcs11PinCredentialsId != null
                || pkcs11AllowedJobs != null) {
            hsm = new HsmSettings(
                    pkcs11ModulePath, pkcs11Slot, pkcs11KeyAlias, pkcs11PinCredentialsId, pkcs11AllowedJobs);
        }
        notaryServerUrl = null;
        notaryCaCertificate = null;
        notaryRootCredentialsId = null;
        pkcs11ModulePath = null;
        pkcs11Slot = null;
        pkcs11KeyAlias = null;
        pkcs11PinCredentialsId = null;
        pkcs11AllowedJobs = null;
    }

    /** The single instance. */
    @NonNull
    public static ImageTrustConfiguration get() {
        return ExtensionList.lookupSingleton(ImageTrustConfiguration.class);
    }

    /**
     * Binds the submitted form. A form whose key list was emptied carries no {@code trustedKeys} at all, and binding
     * would then leave the old keys in place: the lists are reset first so that deleting every key (identity, root)
     * really deletes them.
     * The Notary and HSM sections are nested objects with no public setter (see the flat accessors) and are bound here.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Jenkins.get().checkPermission(getRequiredGlobalConfigPagePermission());
        trustedKeys = new ArrayList<>();
        trustedIdentities = new ArrayList<>();
        trustedRoots = new ArrayList<>();
        JSONObject flat = JSONObject.fromObject(json);
        Object notarySection = flat.remove(NOTARY_SECTION);
        Object hsmSection = flat.remove(HSM_SECTION);
        boolean configured = super.configure(req, flat);
        if (notarySection instanceof JSONObject section && !section.isNullObject()) {
            notary = req.bindJSON(NotarySettings.class, section);
        }
        if (hsmSection instanceof JSONObject section && !section.isNullObject()) {
            hsm = req.bindJSON(HsmSettings.class, section);
        }
        save();
        return configured;
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

    /** Keyless signers whose Fulcio-certified signatures count like a trusted key's. */
    @NonNull
    public List<KeylessIdentity> getTrustedIdentities() {
        return trustedIdentities == null ? List.of() : Collections.unmodifiableList(trustedIdentities);
    }

    @DataBoundSetter
    public void setTrustedIdentities(List<KeylessIdentity> trustedIdentities) {
        this.trustedIdentities = trustedIdentities == null ? new ArrayList<>() : new ArrayList<>(trustedIdentities);
        save();
    }

    /** The Sigstore trusted roots keyless signatures are checked against, offline. */
    @NonNull
    public List<TrustedSigstoreRoot> getTrustedRoots() {
        return trustedRoots == null ? List.of() : Collections.unmodifiableList(trustedRoots);
    }

    @DataBoundSetter
    public void setTrustedRoots(List<TrustedSigstoreRoot> trustedRoots) {
        this.trustedRoots = trustedRoots == null ? new ArrayList<>() : new ArrayList<>(trustedRoots);
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

    /**
     * Whether {@code signImage} also publishes signed SLSA provenance of the build (an in-toto attestation in every
     * signature format written) when the step does not say; true by default.
     */
    public boolean isDefaultProvenance() {
        return defaultProvenance;
    }

    @DataBoundSetter
    public void setDefaultProvenance(boolean defaultProvenance) {
        this.defaultProvenance = defaultProvenance;
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

    /** The Notary server settings; never null (all empty when no server is configured). */
    @NonNull
    public NotarySettings getNotary() {
        return notary == null ? NotarySettings.none() : notary;
    }

    /** The hardware security module settings; never null (all empty when none is configured). */
    @NonNull
    public HsmSettings getHsm() {
        return hsm == null ? HsmSettings.none() : hsm;
    }

    // The flat accessors below are the Configuration as Code attributes (and the setters its import calls): they keep
    // the YAML of earlier versions unchanged while the settings live in the two nested objects. The global page binds
    // the nested objects directly (see configure). There is deliberately no public setNotary/setHsm: JCasC would
    // export it as a second shape of the same values.

    @CheckForNull
    public String getNotaryServerUrl() {
        return getNotary().getServerUrl();
    }

    @DataBoundSetter
    public void setNotaryServerUrl(String notaryServerUrl) {
        notary = getNotary().withServerUrl(notaryServerUrl);
        save();
    }

    /** See {@link NotarySettings#getCaCertificate()}. */
    @CheckForNull
    public String getNotaryCaCertificate() {
        return getNotary().getCaCertificate();
    }

    @DataBoundSetter
    public void setNotaryCaCertificate(String notaryCaCertificate) {
        notary = getNotary().withCaCertificate(notaryCaCertificate);
        save();
    }

    /** See {@link NotarySettings#getRootCredentialsId()}. */
    @CheckForNull
    public String getNotaryRootCredentialsId() {
        return getNotary().getRootCredentialsId();
    }

    @DataBoundSetter
    public void setNotaryRootCredentialsId(String notaryRootCredentialsId) {
        notary = getNotary().withRootCredentialsId(notaryRootCredentialsId);
        save();
    }

    /** Where this controller remembers the Notary metadata versions it has seen (rollback protection). */
    @NonNull
    public Path notaryTrustDirectory() {
        return Jenkins.get().getRootDir().toPath().resolve("image-trust").resolve("notary-trust");
    }

    @CheckForNull
    public String getPkcs11ModulePath() {
        return getHsm().getModulePath();
    }

    @DataBoundSetter
    public void setPkcs11ModulePath(String pkcs11ModulePath) {
        hsm = getHsm().withModulePath(pkcs11ModulePath);
        save();
    }

    /** See {@link HsmSettings#getSlot()}. */
    @CheckForNull
    public String getPkcs11Slot() {
        return getHsm().getSlot();
    }

    @DataBoundSetter
    public void setPkcs11Slot(String pkcs11Slot) {
        hsm = getHsm().withSlot(pkcs11Slot);
        save();
    }

    /** See {@link HsmSettings#getKeyAlias()}. */
    @CheckForNull
    public String getPkcs11KeyAlias() {
        return getHsm().getKeyAlias();
    }

    @DataBoundSetter
    public void setPkcs11KeyAlias(String pkcs11KeyAlias) {
        hsm = getHsm().withKeyAlias(pkcs11KeyAlias);
        save();
    }

    /** See {@link HsmSettings#getPinCredentialsId()}. */
    @CheckForNull
    public String getPkcs11PinCredentialsId() {
        return getHsm().getPinCredentialsId();
    }

    @DataBoundSetter
    public void setPkcs11PinCredentialsId(String pkcs11PinCredentialsId) {
        hsm = getHsm().withPinCredentialsId(pkcs11PinCredentialsId);
        save();
    }

    /** See {@link HsmSettings#getAllowedJobs()}. */
    @CheckForNull
    public String getPkcs11AllowedJobs() {
        return getHsm().getAllowedJobs();
    }

    @DataBoundSetter
    public void setPkcs11AllowedJobs(String pkcs11AllowedJobs) {
        hsm = getHsm().withAllowedJobs(pkcs11AllowedJobs);
        save();
    }

    /** Whether the job {@code fullName} may sign with the HSM. Fails closed: no pattern or a broken one allows none. */
    public boolean mayUseHsm(String fullName) {
        return getHsm().mayBeUsedBy(fullName);
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
}
