package io.jenkins.plugins.imagetrust.engine.notary.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link TrustCache} that lives as long as the object: one build, one CLI call. */
public final class InMemoryTrustCache implements TrustCache {
    private final Map<String, byte[]> roots = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> trustedRoot(String gun) {
        return Optional.ofNullable(roots.get(gun)).map(byte[]::clone);
    }

    @Override
    public long lastVersion(String gun, String role) {
        return versions.getOrDefault(gun + "\n" + role, 0L);
    }

    @Override
    public synchronized void save(String gun, byte[] trustedRoot, Map<String, Long> roleVersions) {
        roots.put(gun, trustedRoot.clone());
        roleVersions.forEach((role, version) -> versions.merge(gun + "\n" + role, version, Math::max));
    }
}
