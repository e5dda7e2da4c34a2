package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.credentials.SignerFactory;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What the steps that sign share ({@code signImage}, {@code attestImage}): the key (a credential, or the HSM of the
 * global page) and the signature formats written. The controller signs; the private key never reaches an agent.
 */
public abstract class SigningStep extends ImageStep {
    private String credentialsId;
    private String passphraseCredentialsId;
    private boolean hsm;
    private String signatureFormat;

    protected SigningStep(String image) {
        super(image);
    }

    /** An "Image signing key" or a "Secret file" credential holding the private key. */
    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** A "Secret text" credential with the passphrase of a "Secret file" key. */
    @CheckForNull
    public String getPassphraseCredentialsId() {
        return passphraseCredentialsId;
    }

    @DataBoundSetter
    public void setPassphraseCredentialsId(String passphraseCredentialsId) {
        this.passphraseCredentialsId = Util.fixEmptyAndTrim(passphraseCredentialsId);
    }

    /** Sign with the hardware security module configured on the global page instead of a credential. */
    public boolean isHsm() {
        return hsm;
    }

    @DataBoundSetter
    public void setHsm(boolean hsm) {
        this.hsm = hsm;
    }

    /**
     * {@code both} (empty: the global default), {@code legacy} (the {@code .sig}/{@code .att} tag only) or
     * {@code bundle} (the cosign 3 Sigstore bundle attached as an OCI referrer only).
     */
    @CheckForNull
    public String getSignatureFormat() {
        return signatureFormat;
    }

    @DataBoundSetter
    public void setSignatureFormat(String signatureFormat) {
        this.signatureFormat = Util.fixEmptyAndTrim(signatureFormat);
    }

    /** Refuses a call without exactly one key source, before anything is fetched. */
    void requireOneKey() throws AbortException {
        if ((credentialsId == null) == !hsm) {
            throw new AbortException(functionName()
                    + " needs exactly one of credentialsId: '<signing key credential>' or hsm: true");
        }
    }

    /** The signer of this call: the HSM, or the credential (with its passphrase), as the run may use it. */
    Signer signer(Run<?, ?> run, ImageTrustConfiguration config) throws Exception {
        return hsm
                ? SignerFactory.fromHsm(run, config)
                : SignerFactory.fromCredentials(run, credentialsId, passphraseCredentialsId);
    }

    /** The form helpers of the key and format parameters. */
    public abstract static class SigningStepDescriptor extends ImageStepDescriptor {
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            ListBoxModel keys = StepSupport.credentialItems(item, credentialsId, ImageSigningKeyCredentials.class);
            ListBoxModel files = StepSupport.credentialItems(item, null, FileCredentials.class);
            for (ListBoxModel.Option file : files) {
                if (!file.value.isEmpty() && keys.stream().noneMatch(o -> o.value.equals(file.value))) {
                    keys.add(file);
                }
            }
            return keys;
        }

        @POST
        public ListBoxModel doFillPassphraseCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String passphraseCredentialsId) {
            return StepSupport.credentialItems(item, passphraseCredentialsId, StringCredentials.class);
        }

        @POST
        public ListBoxModel doFillSignatureFormatItems() {
            return ImageTrustConfiguration.signatureFormatItems(Messages.SignImageStep_GlobalFormat());
        }

        @POST
        public FormValidation doCheckSignatureFormat(@QueryParameter String value) {
            return ImageChecks.checkOptional(value, SignatureFormat::fromId);
        }
    }
}
