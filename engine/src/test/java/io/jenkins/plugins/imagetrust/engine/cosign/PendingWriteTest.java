package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two phases of a tag update against a real docker-registry 2.8: written signatures are not reported until
 * confirmed, and the {@code .sig} tag and the referrers fallback tag written by one sign wait out one settle delay
 * together instead of one each.
 */
class PendingWriteTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final Duration SETTLE = Duration.ofMillis(120);

    private final RegistryClient registry = RegistryClient.builder().build();

    @Test
    void bothFormatsSettleOnceAndAreThenConfirmedWithoutWaitingAgain() throws Exception {
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Sleeper recording = duration -> {
            sleeps.add(duration);
            Thread.sleep(duration.toMillis());
        };
        TagUpdate.Settings settings = new TagUpdate.Settings(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30), SETTLE,
                recording, new TagUpdate.TagLocks());
        ImageReference image = REGISTRY.reference("pending/both:1");
        TestImages.push(registry, image, "pending both");
        Descriptor subject = registry.resolve(image);
        List<String> messages = new CopyOnWriteArrayList<>();
        ProgressListener listener = event -> messages.add(event.message());
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            PendingWrite<CosignPublisher.Published> legacy = new CosignPublisher(registry, listener, settings)
                    .write(image, image, subject.digest(), signer, Map.of(), SignatureEquivalence.EXACT);
            PendingWrite<BundlePublisher.Published> bundle = new BundlePublisher(registry, listener, Clock.systemUTC(), settings)
                    .write(image, image, subject, signer, Map.of(), SignatureEquivalence.EXACT);
            assertThat(messages).as("nothing is reported stored before it is confirmed").noneMatch(m -> m.startsWith("stored") || m.startsWith("attached"));

            PendingSignature.settleAll(List.of(legacy, bundle));
            assertThat(sleeps).as("one settle delay for both tags").singleElement()
                    .satisfies(d -> assertThat(d).isPositive().isLessThanOrEqualTo(SETTLE));

            CosignPublisher.Published stored = legacy.result();
            BundlePublisher.Published attached = bundle.result();
            assertThat(sleeps).as("confirming after the settle waits no more").hasSize(1);
            assertThat(messages).anyMatch(m -> m.equals("stored the signature at " + image.name() + ":" + stored.signatureTag()))
                    .anyMatch(m -> m.startsWith("attached bundle " + attached.referrerDigest().shortForm()));
            assertThat(stored.alreadyPresent()).isFalse();
            assertThat(attached.fallbackTag()).isPresent();
            assertThat(registry.fetchManifest(image, stored.signatureTag())).isPresent();
            assertThat(registry.fetchManifest(image, attached.fallbackTag().get())).isPresent();
        }
    }

    @Test
    void aSignatureAlreadyThereNeedsNoSettle() throws Exception {
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        TagUpdate.Settings settings = new TagUpdate.Settings(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30), SETTLE,
                sleeps::add, new TagUpdate.TagLocks());
        ImageReference image = REGISTRY.reference("pending/again:1");
        TestImages.push(registry, image, "pending again");
        Descriptor subject = registry.resolve(image);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            CosignPublisher publisher = new CosignPublisher(registry, ProgressListener.NONE, settings);
            publisher.publish(image, image, subject.digest(), signer, Map.of());
            sleeps.clear();
            PendingWrite<CosignPublisher.Published> again = publisher.write(image, image, subject.digest(), signer, Map.of(), SignatureEquivalence.EXACT);
            PendingSignature.settleAll(List.of(again));
            assertThat(again.result().alreadyPresent()).isTrue();
            assertThat(sleeps).isEmpty();
        }
    }
}
