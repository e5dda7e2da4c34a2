package io.jenkins.plugins.imagetrust.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Sigstore trusted root on the global page: the {@code trusted_root.json} of the public-good instance or of a private
 * deployment (its Fulcio CAs, Rekor logs, CT logs and timestamp authorities, each with its validity window). Keyless
 * signatures are verified against it offline; nothing is fetched. The page takes it pasted or uploaded (a small script
 * reads the chosen file into the same field, so both are saved and checked alike).
 */
public class TrustedSigstoreRoot implements Describable<TrustedSigstoreRoot> {
    private final String name;
    private final String trustedRoot;

    @DataBoundConstructor
    public TrustedSigstoreRoot(String name, String trustedRoot) {
        this.name = Util.fixEmptyAndTrim(name);
        this.trustedRoot = Util.fixEmptyAndTrim(trustedRoot);
    }

    public String getName() {
        return name;
    }

    /** The {@code trusted_root.json} document, as text. */
    public String getTrustedRoot() {
        return trustedRoot;
    }

    /** The engine's view of this root. */
    @NonNull
    public TrustedRoot toEngineRoot() throws SigstoreException {
        if (name == null || trustedRoot == null) {
            throw new SigstoreException(
                    SigstoreReason.MALFORMED_TRUSTED_ROOT, "a trusted root needs a name and its trusted_root.json");
        }
        return TrustedRoot.parse(trustedRoot.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the root holds and when each part is valid, in one line: the page shows it under the field, so an admin
     * sees an expired authority before a verification fails on it.
     */
    static String describe(TrustedRoot root) {
        return count(root.certificateAuthorities().size(), "certificate authority", "certificate authorities")
                + " " + windows(root.certificateAuthorities().stream().map(TrustedRoot.Authority::validity).toList())
                + "; " + count(root.tlogs().size(), "transparency log", "transparency logs")
                + " " + windows(root.tlogs().stream().map(TrustedRoot.Log::validity).toList())
                + "; " + count(root.ctlogs().size(), "CT log", "CT logs")
                + " " + windows(root.ctlogs().stream().map(TrustedRoot.Log::validity).toList())
                + "; " + count(root.timestampAuthorities().size(), "timestamp authority", "timestamp authorities")
                + " " + windows(root.timestampAuthorities().stream().map(TrustedRoot.Authority::validity).toList());
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String windows(List<TrustedRoot.Validity> validities) {
        return validities.isEmpty()
                ? ""
                : validities.stream().map(TrustedRoot.Validity::toString).toList().toString();
    }

    /** The form of one trusted root. */
    @Extension
    @Symbol("trustedRoot")
    public static final class DescriptorImpl extends Descriptor<TrustedSigstoreRoot> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TrustedSigstoreRoot_DisplayName();
        }

        /** The largest file the upload reads: what the engine reads of a root ({@link TrustedRoot#MAX_BYTES}). */
        public int getMaxBytes() {
            return TrustedRoot.MAX_BYTES;
        }

        /** What the upload says of a larger file (after its name). */
        public String getTooLargeMessage() {
            return Messages.TrustedSigstoreRoot_TooLarge(String.valueOf(TrustedRoot.MAX_BYTES));
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormValidation.validateRequired(value);
        }

        /** Shows what the pasted (or uploaded) root holds and the validity of each part, or why it cannot be read. */
        @POST
        public FormValidation doCheckTrustedRoot(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String text = Util.fixEmptyAndTrim(value);
            if (text == null) {
                return FormValidation.error(Messages.TrustedSigstoreRoot_Required());
            }
            try {
                return FormValidation.ok(describe(TrustedRoot.parse(text.getBytes(StandardCharsets.UTF_8))));
            } catch (SigstoreException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
