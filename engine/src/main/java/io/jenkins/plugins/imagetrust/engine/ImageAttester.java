package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.daemon.DaemonException;
import io.jenkins.plugins.imagetrust.engine.daemon.TagMovedException;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.List;
import java.util.Objects;

/**
 * Attests an existing image without signing it ({@code image-trust attest}, the plugin's {@code attestImage}): the
 * same path as {@link ImageSigner} with {@link SignRequest.Builder#signatures(boolean) signatures(false)}, so the
 * statement, the formats, an index's subjects and the settled confirmation are those of signing with attestations.
 */
public final class ImageAttester {
    private final ImageSigner signer;

    private ImageAttester(ImageSigner signer) {
        this.signer = signer;
    }

    /** An attester writing with {@code signer}'s key through {@code registry}, beside each image. */
    public static ImageAttester create(RegistryClient registry, Signer signer, ProgressListener listener) {
        return create(registry, signer, listener, null);
    }

    /**
     * An attester writing with {@code signer}'s key through {@code registry} into {@code signatureRepository} (cosign's
     * {@code COSIGN_REPOSITORY}), or beside each image when it is null.
     */
    public static ImageAttester create(RegistryClient registry, Signer signer, ProgressListener listener, ImageReference signatureRepository) {
        return new ImageAttester(ImageSigner.builder().registry(registry).signer(signer).listener(listener).signatureRepository(signatureRepository)
                .build());
    }

    /**
     * Writes one attestation per predicate about {@code image} in {@code format} (an index: about the index and every
     * manifest it lists, stored with each).
     *
     * @return what was written: {@link SignResult#attestations()}; no signature
     */
    public SignResult attest(ImageReference image, List<Predicate> predicates, SignatureFormat format)
            throws RegistryException, KeyException, SigningException, DaemonException, TagMovedException {
        Objects.requireNonNull(format, "format");
        return signer.sign(SignRequest.builder(image).signatures(false).attestations(predicates).signatureFormat(format).build());
    }
}
