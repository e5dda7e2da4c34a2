package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.attestation.Envelope;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureEquivalence;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureStorage;
import io.jenkins.plugins.imagetrust.engine.signature.SignedAttestation;
import io.jenkins.plugins.imagetrust.engine.testing.ForwardingProxy;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writers of one tag that share nothing but the registry, as separate processes do: each its own
 * {@link RegistryClient} and its own {@link TagUpdate.TagLocks} (the JVM-wide locks would serialise them), against a
 * real docker-registry 2.8 (no referrers API, no conditional PUT). And a fault proxy that makes one writer lose the
 * race on purpose: its PUT swallowed, the tag overwritten with the old state just after its read-back, a 412. No
 * writer may report success for an entry that is not in the tag.
 */
class ConcurrentPublishIT {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final int WRITERS = 8;
    private static final int ROUNDS = 4;

    private final RegistryClient direct = RegistryClient.builder().build();

    /** One writer's publish in one format; the tag it writes and the entry it claims is there. */
    private record Written(String tag, Digest entry) {
    }

    private static Written publish(SignatureFormat format, RegistryClient client, TagUpdate.Settings settings, ImageReference image,
            ImageReference repository, Descriptor subject, Signer signer, Map<String, String> annotations) throws Exception {
        if (format == SignatureFormat.LEGACY) {
            CosignPublisher.Published published = new CosignPublisher(client, ProgressListener.NONE, settings)
                    .publish(image, repository, subject.digest(), signer, annotations);
            return new Written(published.signatureTag(), published.payloadDigest());
        }
        BundlePublisher.Published published = new BundlePublisher(client, ProgressListener.NONE, Clock.systemUTC(), settings)
                .publish(image, repository, subject, signer, annotations);
        assertThat(published.fallbackTag()).as("distribution 2.8 has no referrers API: the fallback tag is written").isPresent();
        return new Written(published.fallbackTag().get(), published.referrerDigest());
    }

    /** The entries (payload digests of .sig layers, or referrer manifests of the index) the tag now holds. */
    private List<Digest> entries(SignatureFormat format, ImageReference repository, String tag) throws Exception {
        Manifest manifest = direct.fetchManifest(repository, tag).orElseThrow();
        List<Digest> out = new ArrayList<>();
        if (format == SignatureFormat.LEGACY) {
            SignatureManifest.parse(manifest.bytes()).layers().forEach(layer -> layer.digest().ifPresent(out::add));
        } else {
            ReferrersIndex.parse(manifest.bytes()).entries().forEach(entry -> entry.descriptor().digest().ifPresent(out::add));
        }
        return out;
    }

    private static TagUpdate.Settings ownLocks() {
        return TagUpdate.Settings.defaults().withLocks(new TagUpdate.TagLocks());
    }

    /** No real pauses (the faults here are deterministic), few attempts, locks of its own. */
    private static TagUpdate.Settings fast(List<Duration> pauses) {
        Sleeper recording = pauses::add;
        return new TagUpdate.Settings(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMillis(15),
                recording, new TagUpdate.TagLocks());
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void eightWritersSharingNothingButTheRegistryAllKeepTheirEntry(SignatureFormat format) throws Exception {
        List<Signer> signers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            signers.add(new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256)));
        }
        TrustPolicy.Builder policy = TrustPolicy.builder().threshold(WRITERS);
        for (Signer signer : signers) {
            policy.key(TrustedKey.builder("k-" + signer.keyId().shortForm(), signer.publicKey()).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                ImageReference image = REGISTRY.reference("concurrent/" + format.id() + ":" + round);
                TestImages.push(direct, image, "round " + round + " " + format);
                Descriptor subject = direct.resolve(image);
                CyclicBarrier start = new CyclicBarrier(WRITERS);
                List<Callable<Written>> writers = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    RegistryClient own = RegistryClient.builder().build();
                    Signer signer = signers.get(i);
                    Map<String, String> annotations = Map.of("writer", Integer.toString(i)); // distinct payloads: losses show
                    writers.add(() -> {
                        start.await();
                        return publish(format, own, ownLocks(), image, image, subject, signer, annotations);
                    });
                }
                List<Written> written = new ArrayList<>();
                for (Future<Written> future : pool.invokeAll(writers)) {
                    written.add(future.get()); // every writer reports success…
                }
                List<Digest> held = entries(format, image, written.get(0).tag());
                for (Written w : written) {
                    assertThat(held).as("round " + round + ": the entry a writer reported stored").contains(w.entry()); // …and is right
                }
                assertThat(new java.util.HashSet<>(held)).as("round " + round + ": " + held).hasSize(WRITERS);
                assertThat(ImageVerifier.builder().registry(direct).policy(policy.build()).build().verify(image).trusted())
                        .as("round " + round + ": all " + WRITERS + " signatures verify").isTrue();
            }
        } finally {
            pool.shutdownNow();
            signers.forEach(Signer::close);
        }
    }

    /**
     * Signs once directly (the earlier entry), then as the victim through a proxy whose fault {@code faultForTagPath}
     * builds for the tag's manifest path.
     */
    private Written victimThroughProxy(SignatureFormat format, String repositoryName, TagUpdate.Settings settings,
            java.util.function.Function<String, ForwardingProxy.Fault> faultForTagPath, List<Digest> earlier) throws Exception {
        ImageReference image = REGISTRY.reference(repositoryName + ":1");
        TestImages.push(direct, image, repositoryName);
        Descriptor subject = direct.resolve(image);
        try (Signer first = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
                Signer victim = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Written before = publish(format, direct, ownLocks(), image, image, subject, first, Map.of());
            earlier.add(before.entry());
            String tagPath = "/v2/" + image.repository() + "/manifests/" + before.tag();
            try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), faultForTagPath.apply(tagPath))) {
                ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/" + image.repository());
                try {
                    return publish(format, RegistryClient.builder().build(), settings, image, proxied, subject, victim, Map.of("victim", "yes"));
                } finally {
                    assertThat(proxy.scriptFailures()).isEmpty();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void aPutTheRegistrySwallowedIsNoticedAndWrittenAgain(SignatureFormat format) throws Exception {
        AtomicInteger puts = new AtomicInteger();
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        List<Digest> earlier = new ArrayList<>();
        String repository = "fault/swallowed-" + format.id();
        Written ours = victimThroughProxy(format, repository, fast(pauses), tagPath -> (request, exchange, proxy) -> {
            if (request.method().equals("PUT") && request.path().equals(tagPath) && puts.incrementAndGet() == 1) {
                // "stored": 201 with the right digest, but nothing reached the registry
                exchange.respond(201, new byte[0], "Docker-Content-Digest", Digest.sha256(request.body()).toString());
                return true;
            }
            return false;
        }, earlier);

        assertThat(puts.get()).as("the swallowed PUT, then the one that counted").isEqualTo(2);
        List<Digest> held = entries(format, REGISTRY.reference(repository + ":1"), ours.tag());
        assertThat(held).containsExactly(earlier.get(0), ours.entry());
        assertThat(pauses).as("a randomised back-off before writing again, and the settle delays").isNotEmpty();
    }

    /**
     * A writer that read the tag's first state (the victim's read) and replaces the tag with it right after the
     * victim's first PUT landed: the victim's entries are gone until its settle check notices.
     */
    private static final class StaleWriter {
        final AtomicReference<ScriptedHttpServer.Request> firstRead = new AtomicReference<>();
        final AtomicReference<HttpResponse<byte[]>> oldState = new AtomicReference<>();
        final AtomicInteger putsSeen = new AtomicInteger();
        final AtomicInteger staleWrites = new AtomicInteger();

        ForwardingProxy.Fault fault(String tagPath) {
            return (request, exchange, proxy) -> {
                if (!request.path().equals(tagPath)) {
                    return false;
                }
                if (request.method().equals("GET") && oldState.get() == null) {
                    firstRead.set(request);
                    oldState.set(proxy.send(request)); // the state every writer starting now reads
                    return false;
                }
                if (request.method().equals("PUT") && putsSeen.incrementAndGet() == 1) {
                    // our write lands; right after it, a writer that read the old state replaces the tag
                    HttpResponse<byte[]> ourWrite = proxy.send(request);
                    HttpResponse<byte[]> old = oldState.get();
                    ScriptedHttpServer.Request stale = new ScriptedHttpServer.Request("PUT", request.target(),
                            Map.of("content-type", List.of(old.headers().firstValue("Content-Type").orElseThrow())), old.body());
                    HttpResponse<byte[]> answer = proxy.send(stale);
                    if (answer.statusCode() != 201) {
                        throw new IllegalStateException("the stale write was refused: " + answer.statusCode() + " " + new String(answer.body()));
                    }
                    staleWrites.incrementAndGet();
                    proxy.relay(request, ourWrite, exchange);
                    return true;
                }
                return false;
            };
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void aStaleWriterLandingJustAfterOurWriteIsNoticedInTheSettleCheck(SignatureFormat format) throws Exception {
        StaleWriter staleWriter = new StaleWriter();
        List<Digest> earlier = new ArrayList<>();
        String repository = "fault/stale-" + format.id();
        Written ours = victimThroughProxy(format, repository, fast(new CopyOnWriteArrayList<>()), staleWriter::fault, earlier);

        assertThat(staleWriter.staleWrites.get()).isEqualTo(1);
        assertThat(staleWriter.putsSeen.get()).as("our write, then the one after the settle check found it gone").isEqualTo(2);
        assertThat(entries(format, REGISTRY.reference(repository + ":1"), ours.tag())).containsExactly(earlier.get(0), ours.entry());
        assertThat(staleWriter.firstRead.get()).isNotNull();
    }

    @Test
    void aStaleWriterDroppingBothBundlesOfOneFallbackUpdateMakesBothBeWrittenAgain() throws Exception {
        StaleWriter staleWriter = new StaleWriter();
        String repository = "fault/stale-together";
        ImageReference image = REGISTRY.reference(repository + ":1");
        TestImages.push(direct, image, repository);
        Descriptor subject = direct.resolve(image);
        try (Signer first = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
                Signer victim = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Written before = publish(SignatureFormat.BUNDLE, direct, ownLocks(), image, image, subject, first, Map.of());
            String tagPath = "/v2/" + image.repository() + "/manifests/" + before.tag();
            SignedAttestation attestation = Envelope.signStatement(victim, Statement.write(List.of(Subject.of(image, subject.digest())),
                    PredicateTypes.SLSA_PROVENANCE_V1, JsonNodeFactory.instance.objectNode())).toSignedAttestation(victim.publicKey());
            BundlePublisher.Published signature;
            BundlePublisher.Published attested;
            try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), staleWriter.fault(tagPath))) {
                ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/" + image.repository());
                BundlePublisher.Written written = new BundlePublisher(RegistryClient.builder().build(), ProgressListener.NONE, Clock.systemUTC(),
                        fast(new CopyOnWriteArrayList<>())).writeAll(image, proxied, subject,
                                Optional.of(new SignatureStorage.SignatureToWrite(victim, Map.of("victim", "yes"), SignatureEquivalence.EXACT)),
                                List.of(attestation));
                PendingSignature.settleAll(List.of(written.signature().orElseThrow(), written.attestations().get(0)));
                signature = written.signature().orElseThrow().result();
                attested = written.attestations().get(0).result();
                assertThat(proxy.scriptFailures()).isEmpty();
            }

            assertThat(staleWriter.staleWrites.get()).isEqualTo(1);
            assertThat(staleWriter.putsSeen.get()).as("one PUT listing both bundles, then one after the settle check found them gone").isEqualTo(2);
            assertThat(signature.fallbackTag()).contains(before.tag());
            assertThat(attested.fallbackTag()).contains(before.tag());
            assertThat(entries(SignatureFormat.BUNDLE, image, before.tag()))
                    .as("the earlier writer's entry survives, both of ours are back")
                    .containsExactly(before.entry(), signature.referrerDigest(), attested.referrerDigest());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void aRegistryThatNeverKeepsTheWriteFailsTheSignerNamingTheTag(SignatureFormat format) throws Exception {
        List<Digest> earlier = new ArrayList<>();
        String repository = "fault/dropped-" + format.id();
        AtomicInteger swallowed = new AtomicInteger();
        assertThatThrownBy(() -> victimThroughProxy(format, repository, fast(new CopyOnWriteArrayList<>()), tagPath -> (request, exchange, proxy) -> {
            if (request.method().equals("PUT") && request.path().equals(tagPath)) {
                swallowed.incrementAndGet();
                exchange.respond(201, new byte[0], "Docker-Content-Digest", Digest.sha256(request.body()).toString());
                return true;
            }
            return false;
        }, earlier)).isInstanceOf(SignaturePublishException.class)
                .hasMessageContaining(repository + ":sha256-")
                .hasMessageContaining("after 4 attempts");

        assertThat(swallowed.get()).isEqualTo(4);
        ImageReference image = REGISTRY.reference(repository + ":1");
        Digest digest = direct.resolve(image).digest();
        String tag = format == SignatureFormat.LEGACY ? digest.signatureTag() : RegistryClient.referrersFallbackTag(digest);
        assertThat(entries(format, image, tag)).as("what the tag held is kept").containsExactly(earlier.get(0));
    }

    @ParameterizedTest
    @EnumSource(value = SignatureFormat.class, names = {"LEGACY", "BUNDLE"})
    void aConditionalPutRefusedWith412IsARetryNotALoss(SignatureFormat format) throws Exception {
        List<String> ifMatch = new CopyOnWriteArrayList<>();
        List<Digest> earlier = new ArrayList<>();
        AtomicReference<String> entityTagServed = new AtomicReference<>();
        String repository = "fault/conditional-" + format.id();
        Written ours = victimThroughProxy(format, repository, fast(new CopyOnWriteArrayList<>()), tagPath -> (request, exchange, proxy) -> {
            if (request.method().equals("GET") && request.path().equals(tagPath) && entityTagServed.get() == null) {
                HttpResponse<byte[]> answer = proxy.send(request);
                entityTagServed.set(answer.headers().firstValue("ETag").orElse("none"));
                return false;
            }
            if (request.method().equals("PUT") && request.path().equals(tagPath)) {
                ifMatch.add(request.header("If-Match").orElse("absent"));
                if (ifMatch.size() == 1) {
                    // as a registry honouring If-Match answers when the tag changed since it was read
                    exchange.respond(412, "{\"errors\":[{\"code\":\"PRECONDITION_FAILED\",\"message\":\"tag changed\"}]}",
                            "Content-Type", "application/json");
                    return true;
                }
            }
            return false;
        }, earlier);

        ImageReference image = REGISTRY.reference(repository + ":1");
        Manifest before = direct.fetchManifest(image, ours.tag()).orElseThrow();
        assertThat(entityTagServed.get()).as("distribution 2.8 answers a manifest GET with ETag \"<digest>\"").startsWith("\"sha256:");
        assertThat(ifMatch).as("each PUT is conditional on the state read").hasSize(2).allMatch(value -> value.equals(entityTagServed.get()));
        assertThat(entries(format, image, ours.tag())).containsExactly(earlier.get(0), ours.entry());
        assertThat(before.entityTag()).isPresent();
    }
}
