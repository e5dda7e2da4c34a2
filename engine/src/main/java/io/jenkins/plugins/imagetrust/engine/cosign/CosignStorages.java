package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import java.time.Clock;
import java.util.List;

/** The signature storage formats the engine writes and reads. */
public final class CosignStorages {
    private CosignStorages() {
    }

    /**
     * One storage per {@link SignatureFormat} (but {@code BOTH}), in the
     * order signatures are written and reported: the legacy {@code .sig} first, so that it is stored (and said so)
     * when a registry refuses the bundle referrer.
     */
    public static List<SignatureStorage> all(RegistryClient registry, ProgressListener listener, Clock clock) {
        return List.of(new LegacySignatureStorage(registry, listener), new BundleSignatureStorage(registry, listener, clock));
    }
}
