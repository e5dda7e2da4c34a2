package io.jenkins.plugins.imagetrust.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.imagetrust.config.ImageTrustConfiguration;
import io.jenkins.plugins.imagetrust.config.KeylessIdentity;
import io.jenkins.plugins.imagetrust.config.TrustedPublicKey;
import io.jenkins.plugins.imagetrust.config.TrustedSigstoreRoot;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.policy.EnforcementMode;
import io.jenkins.plugins.imagetrust.engine.policy.IdentityRule;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedIdentity;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy a {@code verifyImage} call is held to: the administrator's settings are a floor that a Jenkinsfile can only
 * narrow. A step may choose some of the trusted keys (and keyless identities), raise the threshold, add required annotations and turn warn into
 * enforce; it can never add a key, lower the threshold or relax enforce to warn. A step that asks for less is refused
 * with a message naming the administrator's setting, rather than silently raised: the Jenkinsfile author should learn
 * that the step does not do what it says.
 */
final class EffectivePolicy {
    static final String WHERE = "Manage Jenkins › System › Image Trust";

    private final List<TrustedPublicKey> keys;
    private final List<KeylessIdentity> identities;
    private final List<TrustedSigstoreRoot> roots;
    private final int threshold;
    private final EnforcementMode mode;
    private final Map<String, String> requiredAnnotations;

    private EffectivePolicy(
            List<TrustedPublicKey> keys,
            List<KeylessIdentity> identities,
            List<TrustedSigstoreRoot> roots,
            int threshold,
            EnforcementMode mode,
            Map<String, String> requiredAnnotations) {
        this.keys = List.copyOf(keys);
        this.identities = List.copyOf(identities);
        this.roots = List.copyOf(roots);
        this.threshold = threshold;
        this.mode = mode;
        this.requiredAnnotations = Map.copyOf(requiredAnnotations);
    }

    /**
     * Intersects the administrator's settings with what the step asked for.
     *
     * @param adminKeys every trusted key of the global page
     * @param adminIdentities every trusted keyless identity of the global page
     * @param adminRoots the trusted Sigstore roots of the global page
     * @param adminThreshold the global minimum of signatures (at least 1)
     * @param adminMode the global mode
     * @param stepKeys names or key ids the step narrows to; empty for all
     * @param stepIdentities names of identities the step narrows to; empty for all
     * @param stepThreshold the step's threshold; 0 for the global one
     * @param stepMode the step's mode text; null for the global one
     * @param stepAnnotations annotations the step requires in addition
     * @throws AbortException naming the administrator's setting when the step asks for less, or an unknown key
     */
    static EffectivePolicy of(
            @NonNull List<TrustedPublicKey> adminKeys,
            @NonNull List<KeylessIdentity> adminIdentities,
            @NonNull List<TrustedSigstoreRoot> adminRoots,
            int adminThreshold,
            @NonNull EnforcementMode adminMode,
            @NonNull List<String> stepKeys,
            @NonNull List<String> stepIdentities,
            int stepThreshold,
            @CheckForNull String stepMode,
            @NonNull Map<String, String> stepAnnotations)
            throws AbortException {
        List<TrustedPublicKey> keys = select(adminKeys, stepKeys);
        List<KeylessIdentity> identities = selectIdentities(adminIdentities, stepIdentities);
        if (!stepIdentities.isEmpty() && stepKeys.isEmpty()) {
            keys = List.of(); // naming identities alone chooses keyless signers only, as naming keys alone does keys
        } else if (!stepKeys.isEmpty() && stepIdentities.isEmpty()) {
            identities = List.of();
        }
        if (keys.isEmpty() && identities.isEmpty()) {
            throw new AbortException("no trusted keys or identities: an administrator adds them under " + WHERE);
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
                keys,
                identities,
                adminRoots,
                Math.max(adminThreshold, stepThreshold),
                mode,
                new LinkedHashMap<>(stepAnnotations));
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

    private static List<KeylessIdentity> selectIdentities(List<KeylessIdentity> adminIdentities, List<String> names)
            throws AbortException {
        if (names.isEmpty()) {
            return adminIdentities;
        }
        List<KeylessIdentity> selected = new ArrayList<>();
        for (String wanted : names) {
            KeylessIdentity match = adminIdentities.stream()
                    .filter(identity -> wanted.equals(identity.getName()))
                    .findFirst()
                    .orElseThrow(() -> new AbortException("verifyImage identities: no trusted identity is named \""
                            + wanted + "\"; a Jenkinsfile can only choose among the identities in " + WHERE));
            if (!selected.contains(match)) {
                selected.add(match);
            }
        }
        return selected;
    }

    /** The engine's policy: the chosen keys, the threshold, the mode, the annotations; same-repository identity. */
    TrustPolicy toTrustPolicy() throws KeyException, AbortException {
        TrustPolicy.Builder policy = TrustPolicy.builder();
        for (TrustedPublicKey key : keys) {
            policy.key(key.toEngineKey());
        }
        for (KeylessIdentity identity : identities) {
            policy.identity(toEngineIdentity(identity));
        }
        policy.threshold(threshold).mode(mode).identity(IdentityRule.SAME_REPOSITORY);
        requiredAnnotations.forEach(policy::requiredAnnotation);
        return policy.build();
    }

    /** An identity with the root it names (or the page's only root), windows and revocation. */
    private TrustedIdentity toEngineIdentity(KeylessIdentity identity) throws AbortException {
        TrustedSigstoreRoot root = rootOf(identity);
        try {
            return identity.toEngineIdentity(root);
        } catch (SigstoreException e) {
            throw new AbortException("trusted root '" + root.getName() + "' in " + WHERE + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage() + " (in " + WHERE + ")");
        }
    }

    private TrustedSigstoreRoot rootOf(KeylessIdentity identity) throws AbortException {
        String name = identity.getTrustedRoot();
        if (name == null) {
            if (roots.size() == 1) {
                return roots.get(0);
            }
            throw new AbortException("trusted identity '" + identity.getName() + "' names no trusted root, and "
                    + WHERE + " has " + roots.size() + ": name one");
        }
        return roots.stream()
                .filter(root -> name.equals(root.getName()))
                .findFirst()
                .orElseThrow(() -> new AbortException("trusted identity '" + identity.getName()
                        + "' names the trusted root '" + name + "', which is not in " + WHERE));
    }

    /** The trusted keys' names the policy counts, for an attestation requirement held to the same keys. */
    List<String> keyNames() {
        return keys.stream().map(TrustedPublicKey::getName).toList();
    }

    int threshold() {
        return threshold;
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
        for (KeylessIdentity identity : identities) {
            names.add(identity.getName());
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
