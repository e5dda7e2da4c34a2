package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryErrorException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryTimeoutException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryUnavailableException;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.ForwardingProxy;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults while signing: a scripted proxy in front of the real docker-registry forwards everything faithfully except
 * the {@code .sig} manifest PUT, which it fails (500, 503 storm), resets or stalls. The signer must stop with an
 * error naming the server and the operation within its timeout, leave no engine thread behind, and leave every
 * earlier signature in place.
 */
class SignFaultTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private enum Fault { NONE, STATUS_500, STATUS_503, RESET, STALL }

    private final RegistryClient direct = RegistryClient.builder().build();
    private final AtomicInteger faultedRequests = new AtomicInteger();
    private volatile Fault fault = Fault.NONE;
    private ForwardingProxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> {
            if (fault != Fault.NONE && request.method().equals("PUT") && request.path().matches(".*/manifests/sha256-[0-9a-f]{64}\\.sig")) {
                faultedRequests.incrementAndGet();
                switch (fault) {
                    case STATUS_500 -> exchange.respond(500, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage driver failed\"}]}",
                            "Content-Type", "application/json");
                    case STATUS_503 -> exchange.respond(503, "overloaded", "Content-Type", "text/plain");
                    case RESET -> exchange.reset();
                    case STALL -> {
                        while (!exchange.isClosed()) {
                            Thread.sleep(50); // never answers; ends when the proxy closes
                        }
                    }
                    default -> throw new IllegalStateException();
                }
                return true;
            }
            return false;
        });
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
        assertThat(proxy.scriptFailures()).isEmpty();
    }

    private RegistryClient throughProxy() {
        return RegistryClient.builder().requestTimeout(REQUEST_TIMEOUT).connectTimeout(REQUEST_TIMEOUT).retries(2)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
    }

    private static ImageSigner signer(RegistryClient registry, Signer key) {
        return ImageSigner.builder().registry(registry).signer(key).build();
    }

    /** Threads started since {@code before} that are still alive and not the fake peer's own. */
    private static List<Thread> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("scripted-http"))
                .collect(Collectors.toList());
    }

    private static boolean runsEngineCode(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("io.jenkins.plugins.imagetrust.engine"));
    }

    /**
     * One fault, end to end: an earlier signature by {@code first}, then {@code second} signs through the faulty proxy
     * and fails; afterwards the .sig manifest still holds exactly the earlier signature, and signing again once the
     * fault is gone adds the second one next to it.
     */
    private RegistryException signThroughFault(Fault injected, String repository) throws Exception {
        ImageReference direct = REGISTRY.reference(repository + ":1");
        Digest digest = TestImages.push(this.direct, direct);
        ImageReference proxied = ImageReference.parse(proxy.hostPort() + "/" + repository + ":1");
        try (Signer first = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
                Signer second = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            signer(this.direct, first).sign(SignRequest.builder(direct).build());
            // warm up: JDK HttpClient and proxy threads that exist before the faulty call are not leaks
            throughProxy().resolve(proxied);
            Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

            fault = injected;
            RegistryClient[] faulty = {throughProxy()}; // an array, so the test can drop its reference
            long started = System.nanoTime();
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> signer(faulty[0], second).sign(SignRequest.builder(proxied).expectedDigest(digest).build()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            fault = Fault.NONE;

            assertThat(thrown).isInstanceOf(RegistryException.class);
            assertThat(thrown.getMessage()).startsWith("push-manifest " + proxy.hostPort() + "/" + repository + ":");
            assertThat(faultedRequests.get()).isPositive();
            // three attempts at most, each within the request timeout, plus small backoffs
            assertThat(took).isLessThan(REQUEST_TIMEOUT.multipliedBy(3).plusSeconds(3));

            // no thread left doing engine work; the JDK client's own threads end once the client is dropped
            faulty[0] = null;
            List<Thread> leaked = List.of();
            for (int i = 0; i < 100; i++) {
                System.gc();
                leaked = newThreads(before).stream().filter(t -> runsEngineCode(t) || t.getName().contains("SelectorManager")).toList();
                if (leaked.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(leaked).extracting(Thread::getName).isEmpty();

            // the earlier signature is untouched, and still verifies
            SignatureManifest stored = SignatureManifest.parse(this.direct.fetchManifest(direct, digest.signatureTag()).orElseThrow().bytes());
            assertThat(stored.size()).isEqualTo(1);
            TrustPolicy trustsFirst = TrustPolicy.builder().key(TrustedKey.builder("first", first.publicKey()).build()).build();
            assertThat(ImageVerifier.builder().registry(this.direct).policy(trustsFirst).build().verify(direct).trusted()).isTrue();

            // the fault gone, the same signing succeeds and appends
            signer(throughProxy(), second).sign(SignRequest.builder(proxied).expectedDigest(digest).build());
            assertThat(SignatureManifest.parse(this.direct.fetchManifest(direct, digest.signatureTag()).orElseThrow().bytes()).size()).isEqualTo(2);
            return (RegistryException) thrown;
        }
    }

    @Test
    void aFailedManifestPutNamesServerAndOperationAndKeepsEarlierSignatures() throws Exception {
        RegistryException e = signThroughFault(Fault.STATUS_500, "fault/status500");
        assertThat(e).isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) e).statusCode()).isEqualTo(500);
        assertThat(e.getMessage()).contains("storage driver failed");
        assertThat(faultedRequests.get()).as("500 is not retried").isEqualTo(1);
    }

    @Test
    void aStormOf503IsRetriedThenGivenUp() throws Exception {
        RegistryException e = signThroughFault(Fault.STATUS_503, "fault/status503");
        assertThat(e).isInstanceOf(RegistryUnavailableException.class);
        assertThat(faultedRequests.get()).isEqualTo(3);
    }

    @Test
    void aResetManifestPutIsRetriedThenGivenUp() throws Exception {
        RegistryException e = signThroughFault(Fault.RESET, "fault/reset");
        assertThat(e).isInstanceOf(RegistryUnavailableException.class);
        assertThat(faultedRequests.get()).isEqualTo(3);
    }

    @Test
    void aStalledManifestPutTimesOut() throws Exception {
        RegistryException e = signThroughFault(Fault.STALL, "fault/stall");
        assertThat(e).isInstanceOf(RegistryTimeoutException.class);
        assertThat(faultedRequests.get()).as("timeouts are not retried").isEqualTo(1);
    }

    @Test
    void theProxyIsFaithfulWithoutAFault() throws Exception {
        ImageReference image = ImageReference.parse(proxy.hostPort() + "/fault/none:1");
        Digest digest = TestImages.push(throughProxy(), image);
        try (Signer key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            signer(throughProxy(), key).sign(SignRequest.builder(image).expectedDigest(digest).build());
            TrustPolicy policy = TrustPolicy.builder().key(TrustedKey.builder("k", key.publicKey()).build()).build();
            // the payload names the repository as the signer saw it: through the proxy
            assertThat(ImageVerifier.builder().registry(throughProxy()).policy(policy).build().verify(image).trusted()).isTrue();
        }
        assertThat(Map.of("faulted", faultedRequests.get())).containsEntry("faulted", 0);
    }
}
