package io.jenkins.plugins.imagetrust.engine.notary.store;

import java.util.Map;
import java.util.Optional;

/**
 * What a client remembers about a repository between verifications: the root it trusts and the highest
 * version of each role it has accepted, so that a server cannot roll it back to older metadata.
 */
public interface TrustCache {
    /** The bytes of the trusted {@code root.json}, if any was accepted before. */
    Optional<byte[]> trustedRoot(String gun);

    /** The highest accepted version of {@code role}, or 0 if none. */
    long lastVersion(String gun, String role);

    /**
     * Records a fully verified state: the trusted root's bytes and the accepted version of each role.
     * Versions never go down: a lower version than the one stored is ignored.
     */
    void save(String gun, byte[] trustedRoot, Map<String, Long> versions);
}
