package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one step call runs with: the value the step gives, else the administrator's default from the global page. The
 * one place a step parameter meets its global default; for verification the defaults are a floor
 * ({@link EffectivePolicy}) rather than a fallback.
 */
final class EffectiveSettings {
    private final ImageTrustConfiguration global;

    private EffectiveSettings(ImageTrustConfiguration global) {
        this.global = global;
    }

    /** The settings of a call made now, against the global page as it is. */
    @NonNull
    static EffectiveSettings current() {
        return new EffectiveSettings(ImageTrustConfiguration.get());
    }

    /** The global page itself, for what a step cannot set (registries, Notary, HSM). */
    @NonNull
    ImageTrustConfiguration global() {
        return global;
    }

    /** The step's signature repository, else the global one; empty for "next to the image". */
    @NonNull
    Optional<ImageReference> signatureRepository(@NonNull ImageStep step) {
        String text =
                step.getSignatureRepository() != null ? step.getSignatureRepository() : global.getSignatureRepository();
        return text == null ? Optional.empty() : Optional.of(ImageReference.parse(text));
    }

    /**
     * The step's signature format, else the global default.
     *
     * @throws AbortException naming the parameter when the text is no format
     */
    @NonNull
    SignatureFormat signatureFormat(@CheckForNull String stepFormat) throws AbortException {
        try {
            return SignatureFormat.fromId(stepFormat != null ? stepFormat : global.getDefaultSignatureFormat());
        } catch (IllegalArgumentException e) {
            throw new AbortException("signImage signatureFormat: " + e.getMessage());
        }
    }

    /** Whether {@code signImage} publishes SLSA provenance: the step's choice, else the global default. */
    boolean provenance(@CheckForNull Boolean stepProvenance) {
        return stepProvenance != null ? stepProvenance : global.isDefaultProvenance();
    }

    /**
     * The global keys, threshold and mode narrowed by what the step asks for (see {@link EffectivePolicy#of}).
     *
     * @throws AbortException when the step asks for less than the global page allows
     */
    @NonNull
    EffectivePolicy policy(
            @NonNull List<String> stepKeys,
            @NonNull List<String> stepIdentities,
            int stepThreshold,
            @CheckForNull String stepMode,
            @NonNull Map<String, String> stepAnnotations)
            throws AbortException {
        return EffectivePolicy.of(
                global.getTrustedKeys(),
                global.getTrustedIdentities(),
                global.getTrustedRoots(),
                global.getDefaultThreshold(),
                ImageTrustConfiguration.parseMode(global.getDefaultMode()),
                stepKeys,
                stepIdentities,
                stepThreshold,
                stepMode,
                stepAnnotations);
    }
}
