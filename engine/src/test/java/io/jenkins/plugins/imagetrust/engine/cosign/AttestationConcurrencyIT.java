package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.attestation.Envelope;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signers and attesters of one image sharing nothing but the registry, as separate processes do (each its own client
 * and tag locks), against docker-registry 2.8: the signature bundles and the attestation bundles share the referrers
 * fallback tag, the {@code .sig} and {@code .att} tags are appended by several writers at once. No writer may report
 * success for an entry that is not there.
 */
class AttestationConcurrencyIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    private static final int WRITERS = 8;

    private final RegistryClient direct = RegistryClient.builder().build();

    private static TagUpdate.Settings ownLocks() {
        return TagUpdate.Settings.defaults().withLocks(new TagUpdate.TagLocks());
    }

    @Test
    void signersAndAttestersSharingNothingButTheRegistryAllKeepTheirEntries() throws Exception {
        ImageReference image = REGISTRY.reference("concurrent/attest:1");
        TestImages.push(direct, image, "sign and attest");
        Descriptor subject = direct.resolve(image);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Signer> signers = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            List<Callable<List<Digest>>> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
                signers.add(signer);
                RegistryClient own = RegistryClient.builder().build();
                boolean attest = i % 2 == 0;
                Map<String, String> annotations = Map.of("writer", Integer.toString(i));
                writers.add(() -> {
                    CosignPublisher legacy = new CosignPublisher(own, ProgressListener.NONE, ownLocks());
                    BundlePublisher bundles = new BundlePublisher(own, ProgressListener.NONE, Clock.systemUTC(), ownLocks());
                    start.await();
                    if (attest) {
                        byte[] statement = Statement.write(List.of(Subject.of(image, subject.digest())), PredicateTypes.SLSA_PROVENANCE_V1,
                                JsonMappers.lenient().createObjectNode().put("writer", annotations.get("writer")));
                        SignedAttestation attestation = Envelope.signStatement(signer, statement).toSignedAttestation(signer.publicKey());
                        PendingWrite<CosignPublisher.Published> att = legacy.writeAttestation(image.repositoryOnly(), subject.digest(), attestation);
                        PendingWrite<BundlePublisher.Published> bundle = bundles.writeAttestation(image.repositoryOnly(), subject, attestation);
                        return List.of(att.result().payloadDigest(), bundle.result().referrerDigest());
                    }
                    return List.of(legacy.publish(image, image.repositoryOnly(), subject.digest(), signer, annotations).payloadDigest(),
                            bundles.publish(image, image.repositoryOnly(), subject, signer, annotations).referrerDigest());
                });
            }
            List<List<Digest>> reported = new ArrayList<>();
            for (Future<List<Digest>> future : pool.invokeAll(writers)) {
                reported.add(future.get());
            }
            List<Digest> sig = layers(image, subject.digest().signatureTag());
            List<Digest> att = layers(image, subject.digest().attestationTag());
            List<Digest> referrers = new ArrayList<>();
            ReferrersIndex.parse(direct.fetchReferrers(image.repositoryOnly(), subject.digest()).orElseThrow().bytes()).entries()
                    .forEach(entry -> entry.descriptor().digest().ifPresent(referrers::add));
            for (int i = 0; i < WRITERS; i++) {
                assertThat(i % 2 == 0 ? att : sig).as("writer " + i + "'s layer").contains(reported.get(i).get(0));
                assertThat(referrers).as("writer " + i + "'s referrer").contains(reported.get(i).get(1));
            }
            assertThat(new HashSet<>(sig)).hasSize(WRITERS / 2);
            assertThat(new HashSet<>(att)).hasSize(WRITERS / 2);
            assertThat(new HashSet<>(referrers)).hasSize(WRITERS);
        } finally {
            pool.shutdownNow();
            signers.forEach(Signer::close);
        }
    }

    private List<Digest> layers(ImageReference image, String tag) throws Exception {
        List<Digest> out = new ArrayList<>();
        SignatureManifest.parse(direct.fetchManifest(image.repositoryOnly(), tag).orElseThrow().bytes()).layers()
                .forEach(layer -> layer.digest().ifPresent(out::add));
        return out;
    }
}
