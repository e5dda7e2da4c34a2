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
import io.jenkins.plugins.imagetrust.credentials.ImageSigningKeyCredentials;
import io.jenkins.plugins.imagetrust.credentials.KeyDescriptions;
import io.jenkins.plugins.imagetrust.engine.http.HostPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The Notary (Docker Content Trust) part of the global page: the server, the CA of its TLS certificate and the root key.
 * Immutable: the global page replaces it as a whole and saves.
 */
public final class NotarySettings implements Describable<NotarySettings> {
    private final String serverUrl;
    private final String caCertificate;
    private final String rootCredentialsId;

    @DataBoundConstructor
    public NotarySettings(String serverUrl, String caCertificate, String rootCredentialsId) {
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
        this.rootCredentialsId = Util.fixEmptyAndTrim(rootCredentialsId);
    }

    /** No Notary server configured. */
    @NonNull
    static NotarySettings none() {
        return new NotarySettings(null, null, null);
    }

    @CheckForNull
    public String getServerUrl() {
        return serverUrl;
    }

    /** PEM of the CA that issued the Notary server's TLS certificate; empty to use the JVM's trust store. */
    @CheckForNull
    public String getCaCertificate() {
        return caCertificate;
    }

    /**
     * The signing-key credential holding the Notary root key: needed to initialise a new trusted repository, and it
     * pins the root of existing ones. Empty: only repositories whose root this controller has already seen.
     */
    @CheckForNull
    public String getRootCredentialsId() {
        return rootCredentialsId;
    }

    @NonNull
    NotarySettings withServerUrl(String value) {
        return new NotarySettings(value, caCertificate, rootCredentialsId);
    }

    @NonNull
    NotarySettings withCaCertificate(String value) {
        return new NotarySettings(serverUrl, value, rootCredentialsId);
    }

    @NonNull
    NotarySettings withRootCredentialsId(String value) {
        return new NotarySettings(serverUrl, caCertificate, value);
    }

    /** The Notary section's form helpers. Every one is POST-only and answers administrators only. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<NotarySettings> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.NotarySettings_DisplayName();
        }

        @POST
        public FormValidation doCheckServerUrl(@QueryParameter String value) {
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
        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok() : KeyDescriptions.describePublicKey(value);
        }

        @POST
        public ListBoxModel doFillRootCredentialsIdItems(@QueryParameter String rootCredentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return new StandardListBoxModel()
                    .includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            Jenkins.get(),
                            ImageSigningKeyCredentials.class,
                            Collections.<DomainRequirement>emptyList(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(rootCredentialsId);
        }
    }
}
