package io.jenkins.plugins.imagetrust.engine.notary;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole;
import io.jenkins.plugins.imagetrust.engine.notary.model.FileMeta;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.InMemoryTrustCache;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataFetcher;
import io.jenkins.plugins.imagetrust.engine.notary.store.MetadataNames;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.notary.store.NotaryClient;
import io.jenkins.plugins.imagetrust.engine.notary.store.TrustCache;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delegates signing of a repository's tags, like {@code docker trust signer add}: a named signer
 * ({@code targets/<name>} and {@code targets/releases}) or {@code targets/releases} alone. Each change is one upload of
 * targets signed by the targets key, read back and verified.
 */
public final class NotarySignerDelegation {
    /** docker's rule for signer names ({@code docker trust signer add}). */
    private static final Pattern SIGNER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final NotaryWriters writers;

    NotarySignerDelegation(NotaryWriters writers) {
        this.writers = writers;
    }

    /**
     * Adds a named signer like {@code docker trust signer add NAME}: targets one version up (signed by the
     * targets key) delegating {@code targets/<name>} and {@code targets/releases} to {@code signerKey} (added to
     * keys already there; each role created with threshold 1 and every path if missing). From then on a request
     * signed with that key is signed into both roles, so {@code docker trust inspect} lists {@code name} as the
     * tag's signer.
     *
     * @param signerName lowercase letters and digits, then also {@code -} and {@code _}, as docker requires;
     *     {@code releases} is reserved
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link NotaryWriters.Builder#existingRootPin})
     * @throws IllegalArgumentException if the signer name is not valid
     * @throws NotaryException if {@code targetsSigner} is not the targets key
     */
    public void addSigner(String gun, String signerName, PublicKey signerKey, Signer targetsSigner, Signer rootSigner) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        String role = signerRole(signerName);
        RootPin pin = writers.pinFor(Optional.ofNullable(rootSigner));
        TrustedRepository current = writers.verifier(pin).verify(gun);
        NotaryWriters.requireTargetsKey(current, targetsSigner);
        TufKey key = TufKey.forPublicKey(signerKey);
        writers.client.publish(gun, List.of(NotaryMetadataBuilder.addingSigner(current.targets(), role, key, targetsSigner, writers.clock.instant())));

        TrustedRepository published = writers.verifier(pin).verify(gun);
        for (String delegated : List.of(role, RoleNames.RELEASES)) {
            if (!published.targets().delegation(delegated).map(d -> d.keys().keyIds().contains(key.id())).orElse(false)) {
                throw new NotaryException("after adding signer " + signerName + ", targets of " + gun + " does not delegate " + delegated + " to " + key.id());
            }
        }
        writers.listener.info("notary-publish", gun + ": signer " + signerName + " (key " + key.id().substring(0, 12) + ") added to " + role
                + " and " + RoleNames.RELEASES + " (targets v" + published.targets().version() + ")");
    }

    /** {@code targets/<name>} for a valid signer name, as {@code docker trust signer add} checks it. */
    static String signerRole(String signerName) {
        if (signerName == null || !SIGNER_NAME.matcher(signerName).matches()) {
            throw new IllegalArgumentException("signer name '" + signerName + "' must start with a lowercase letter or digit and hold only those, '-' and '_'");
        }
        if ("releases".equals(signerName)) {
            throw new IllegalArgumentException("releases is reserved; choose another signer name");
        }
        return RoleNames.TARGETS + "/" + signerName;
    }

    /**
     * Delegates {@code targets/releases} to {@code delegateKey} (like {@code docker trust signer add}), so that
     * holders of that key can sign tags without the repository's targets key.
     *
     * @param targetsSigner the repository's targets key, which signs the new targets version
     * @param rootSigner the repository's root key, used only to pin the root (may be null with {@link NotaryWriters.Builder#existingRootPin})
     */
    public void delegateReleases(String gun, Signer targetsSigner, Signer rootSigner, PublicKey delegateKey) throws NotaryException, KeyException {
        MetadataNames.checkGun(gun);
        TrustedRepository current = writers.verifier(writers.pinFor(Optional.ofNullable(rootSigner))).verify(gun);
        writers.client.publish(gun, List.of(NotaryMetadataBuilder.delegatingReleases(current.targets(), TufKey.forPublicKey(delegateKey), targetsSigner, writers.clock.instant())));
        writers.listener.info("notary-publish", gun + ": targets/releases delegated to key " + TufKey.forPublicKey(delegateKey).id().substring(0, 12));
    }
}
