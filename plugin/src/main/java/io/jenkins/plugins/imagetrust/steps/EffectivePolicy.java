package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy a {@code verifyImage} call is held to: the administrator's settings are a floor that a Jenkinsfile can only
 * narrow. A step may choose some of the trusted keys, raise the threshold, add required annotations and turn warn into
 * enforce; it can never add a key, lower the threshold or relax enforce to warn. A step that asks for less is refused
 * with a message naming the administrator's setting, rather than silently raised: the Jenkinsfile author should learn
 * that the step does not do what it says.
 */
final class EffectivePolicy {
    static final String WHERE = "Manage Jenkins › System › Image Trust";

    private final List<TrustedPublicKey> keys;
    private final int threshold;
    private final EnforcementMode mode;
    private final Map<String, String> requiredAnnotations;

    private EffectivePolicy(
            List<TrustedPublicKey> keys, int threshold, EnforcementMode mode, Map<String, String> requiredAnnotations) {
        this.keys = List.copyOf(keys);
        this.threshold = threshold;
        this.mode = mode;
        this.requiredAnnotations = Map.copyOf(requiredAnnotations);
    }

    /**
     * Intersects the administrator's settings with what the step asked for.
     *
     * @param adminKeys every trusted key of the global page
     * @param adminThreshold the global minimum of signatures (at least 1)
     * @param adminMode the global mode
     * @param stepKeys names or key ids the step narrows to; empty for all
     * @param stepThreshold the step's threshold; 0 for the global one
     * @param stepMode the step's mode text; null for the global one
     * @param stepAnnotations annotations the step requires in addition
     * @throws AbortException naming the administrator's setting when the step asks for less, or an unknown key
     */
    static EffectivePolicy of(
            @NonNull List<TrustedPublicKey> adminKeys,
            int adminThreshold,
            @NonNull EnforcementMode adminMode,
            @NonNull List<String> stepKeys,
            int stepThreshold,
            @CheckForNull String stepMode,
            @NonNull Map<String, String> stepAnnotations)
            throws AbortException {
        List<TrustedPublicKey> keys = select(adminKeys, stepKeys);
        if (keys.isEmpty()) {
            throw new AbortException("no trusted keys: an administrator adds them under " + WHERE);
        }
        if (stepThreshold > 0 && stepThreshold < adminThreshold) {
            throw new AbortException("verifyImage threshold " + stepThreshold + " is below the minimum of "
                    + adminThreshold + " set in " + WHERE);
        }
        EnforcementMode mode = adminMode;
        if (stepMode != null) {
            EnforcementMode asked;
            try {
                asked = ImageTrustConfiguration.parseMode(stepMode);
            } catch (IllegalArgumentException e) {
                throw new AbortException("verifyImage mode: " + e.getMessage());
            }
            if (asked == EnforcementMode.WARN && adminMode == EnforcementMode.ENFORCE) {
                throw new AbortException("verifyImage mode 'warn' would relax the enforce mode set in " + WHERE
                        + ": only an" + " administrator can let unverified images continue");
            }
            mode = asked;
        }
        return new EffectivePolicy(
                keys, Math.max(adminThreshold, stepThreshold), mode, new LinkedHashMap<>(stepAnnotations));
    }

    private static List<TrustedPublicKey> select(List<TrustedPublicKey> adminKeys, List<String> namesOrKeyIds)
            throws AbortException {
        if (namesOrKeyIds.isEmpty()) {
            return adminKeys;
        }
        List<TrustedPublicKey> selected = new ArrayList<>();
        for (String wanted : namesOrKeyIds) {
            TrustedPublicKey match = adminKeys.stream()
                    .filter(key -> key.isNamed(wanted))
                    .findFirst()
                    .orElseThrow(() -> new AbortException("verifyImage keys: no trusted key is named \"" + wanted
                            + "\" or has that key id; a Jenkinsfile can only choose among the keys in " + WHERE));
            if (!selected.contains(match)) {
                selected.add(match);
            }
        }
        return selected;
    }

    /** The engine's policy: the chosen keys, the threshold, the mode, the annotations; same-repository identity. */
    TrustPolicy toTrustPolicy() throws KeyException {
        TrustPolicy.Builder policy = TrustPolicy.builder();
        for (TrustedPublicKey key : keys) {
            policy.key(key.toEngineKey());
        }
        policy.threshold(threshold).mode(mode).identity(IdentityRule.SAME_REPOSITORY);
        requiredAnnotations.forEach(policy::requiredAnnotation);
        return policy.build();
    }

    EnforcementMode mode() {
        return mode;
    }

    /** One line for the log and the run summary, e.g. {@code enforce, 2 of release, backup; requires git=abc}. */
    String describe() {
        List<String> names = new ArrayList<>();
        for (TrustedPublicKey key : keys) {
            names.add(key.getName());
        }
        StringBuilder text = new StringBuilder(mode == EnforcementMode.WARN ? "warn" : "enforce")
                .append(", ")
                .append(threshold)
                .append(" of ")
                .append(String.join(", ", names));
        if (!requiredAnnotations.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            requiredAnnotations.forEach((key, value) -> pairs.add(key + "=" + value));
            text.append("; requires ").append(String.join(", ", pairs));
        }
        return text.toString();
    }
}
