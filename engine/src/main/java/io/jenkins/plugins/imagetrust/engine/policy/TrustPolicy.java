package io.jenkins.plugins.imagetrust.engine.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jenkins.plugins.imagetrust.engine.keys.KeyId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What makes an image trusted: at least {@code threshold} distinct trusted keys or identities (keyless signers), each
 * usable now, signed its
 * digest with payloads that satisfy the identity rule and carry the required annotations. One model for the CLI
 * (policy files, see {@link PolicyFiles}) and the plugin (global configuration and step parameters).
 */
public final class TrustPolicy {
    private final List<TrustedKey> keys;
    private final List<TrustedIdentity> identities;
    private final int threshold;
    private final Map<String, String> requiredAnnotations;
    private final EnforcementMode mode;
    private final IdentityRule identity;
    private final boolean requireAllPlatforms;
    private final ArrayNode requiredAttestations;

    private TrustPolicy(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.identities = List.copyOf(b.identities);
        this.threshold = b.threshold;
        this.requiredAnnotations = Map.copyOf(b.requiredAnnotations);
        this.mode = b.mode;
        this.identity = b.identity;
        this.requireAllPlatforms = b.requireAllPlatforms;
        this.requiredAttestations = b.requiredAttestations.deepCopy();
        if (keys.isEmpty() && identities.isEmpty()) {
            throw new IllegalArgumentException("a trust policy needs at least one trusted key or identity");
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, not " + threshold);
        }
        if (threshold > keys.size() + identities.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " can never be met with " + keys.size() + " trusted key(s)"
                    + (identities.isEmpty() ? "" : " and " + identities.size() + " trusted identities"));
        }
        Set<KeyId> seen = new HashSet<>();
        for (TrustedKey key : keys) {
            if (!seen.add(key.id())) {
                throw new IllegalArgumentException("key " + key.id() + " is listed twice (as '" + key.name() + "')");
            }
        }
        Set<String> names = new HashSet<>();
        for (TrustedIdentity identity : identities) {
            if (!names.add(identity.name())) {
                throw new IllegalArgumentException("identity '" + identity.name() + "' is listed twice");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.keys.addAll(keys);
        b.identities.addAll(identities);
        b.threshold = threshold;
        b.requiredAnnotations.putAll(requiredAnnotations);
        b.mode = mode;
        b.identity = identity;
        b.requiredAttestations = requiredAttestations.deepCopy();
        b.requireAllPlatforms = requireAllPlatforms;
        return b;
    }

    public List<TrustedKey> keys() {
        return keys;
    }

    /** The trusted keyless signers; each counts as one vote toward the threshold, like one key. */
    public List<TrustedIdentity> identities() {
        return identities;
    }

    public int threshold() {
        return threshold;
    }

    public Map<String, String> requiredAnnotations() {
        return requiredAnnotations;
    }

    public EnforcementMode mode() {
        return mode;
    }

    public IdentityRule identity() {
        return identity;
    }

    /**
     * Whether verifying an image index also verifies every platform manifest it lists (nested indexes included,
     * buildx attestation manifests left out), the index being trusted only when each of them is. Off by default.
     */
    public boolean requireAllPlatforms() {
        return requireAllPlatforms;
    }

    /**
     * This policy trusting only the keys whose id or name, and the identities whose name, is in {@code idsOrNames};
     * unknown entries are an error.
     */
    public TrustPolicy restrictedTo(Collection<String> idsOrNames) {
        List<TrustedKey> chosen = new ArrayList<>();
        List<TrustedIdentity> chosenIdentities = new ArrayList<>();
        for (String wanted : idsOrNames) {
            Optional<TrustedKey> key = keys.stream().filter(k -> k.id().hex().equals(wanted) || k.name().equals(wanted)).findFirst();
            Optional<TrustedIdentity> identity = identities.stream().filter(i -> i.name().equals(wanted)).findFirst();
            if (key.isEmpty() && identity.isEmpty()) {
                throw new IllegalArgumentException("no trusted key has the id or name '" + wanted + "'"
                        + (identities.isEmpty() ? "" : ", and no trusted identity that name"));
            }
            key.filter(k -> !chosen.contains(k)).ifPresent(chosen::add);
            identity.filter(i -> !chosenIdentities.contains(i)).ifPresent(chosenIdentities::add);
        }
        Builder b = toBuilder();
        b.keys.clear();
        b.keys.addAll(chosen);
        b.identities.clear();
        b.identities.addAll(chosenIdentities);
        b.threshold = Math.min(threshold, chosen.size() + chosenIdentities.size());
        return b.build();
    }

    /**
     * The policy file's {@code requiredAttestations} as written (an array, empty when none): this package does not know
     * attestations, so it keeps the tree; {@code attestation.AttestationRequirement.of(TrustPolicy)} reads it against
     * the policy's keys.
     */
    public ArrayNode requiredAttestations() {
        return requiredAttestations.deepCopy();
    }

    /** Builds a {@link TrustPolicy}. Defaults: threshold 1, mode enforce, identity same-repository. */
    public static final class Builder {
        private final List<TrustedKey> keys = new ArrayList<>();
        private final List<TrustedIdentity> identities = new ArrayList<>();
        private int threshold = 1;
        private final Map<String, String> requiredAnnotations = new LinkedHashMap<>();
        private EnforcementMode mode = EnforcementMode.ENFORCE;
        private IdentityRule identity = IdentityRule.SAME_REPOSITORY;
        private boolean requireAllPlatforms;
        private ArrayNode requiredAttestations = JsonNodeFactory.instance.arrayNode();

        private Builder() {
        }

        /** The {@code requiredAttestations} tree of a policy file (see {@link TrustPolicy#requiredAttestations()}). */
        public Builder requiredAttestations(ArrayNode value) {
            this.requiredAttestations = value.deepCopy();
            return this;
        }

        /** Verifying an index also verifies every platform manifest it lists; see {@link TrustPolicy#requireAllPlatforms()}. */
        public Builder requireAllPlatforms(boolean value) {
            this.requireAllPlatforms = value;
            return this;
        }

        public Builder key(TrustedKey key) {
            keys.add(Objects.requireNonNull(key));
            return this;
        }

        public Builder keys(Collection<TrustedKey> values) {
            values.forEach(this::key);
            return this;
        }

        /** Trusts a keyless signer: one vote toward the threshold, like one key. */
        public Builder identity(TrustedIdentity identity) {
            identities.add(Objects.requireNonNull(identity));
            return this;
        }

        public Builder identities(Collection<TrustedIdentity> values) {
            values.forEach(this::identity);
            return this;
        }

        public Builder threshold(int value) {
            this.threshold = value;
            return this;
        }

        public Builder requiredAnnotation(String key, String value) {
            requiredAnnotations.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder requiredAnnotations(Map<String, String> values) {
            values.forEach(this::requiredAnnotation);
            return this;
        }

        public Builder mode(EnforcementMode value) {
            this.mode = Objects.requireNonNull(value);
            return this;
        }

        public Builder identity(IdentityRule value) {
            this.identity = Objects.requireNonNull(value);
            return this;
        }

        public TrustPolicy build() {
            return new TrustPolicy(this);
        }
    }
}
