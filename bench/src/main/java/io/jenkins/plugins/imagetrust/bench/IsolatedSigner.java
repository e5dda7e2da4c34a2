package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.util.function.Function;

/**
 * One of benchmark 8's signers, loaded by a class loader of its own ({@link ConcurrentSignersBenchmark}), so that it
 * shares nothing with the others but the registry: its own engine classes (the JVM-wide tag locks included), its own
 * {@link RegistryClient}, its own key. Speaks to the benchmark through JDK types only: given an image reference, it
 * signs it in both formats and returns the signed digest.
 */
public final class IsolatedSigner implements Function<String, String> {
    private final ImageSigner signer;

    public IsolatedSigner() throws KeyException {
        signer = ImageSigner.builder().registry(RegistryClient.builder().build())
                .signer(new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))).build();
    }

    @Override
    public String apply(String image) {
        try {
            SignResult result = signer.sign(SignRequest.builder(ImageReference.parse(image)).build());
            if (result.alreadyPresent()) {
                throw new IllegalStateException("signing " + image + " with a fresh key was a no-op");
            }
            return result.digest().toString();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
