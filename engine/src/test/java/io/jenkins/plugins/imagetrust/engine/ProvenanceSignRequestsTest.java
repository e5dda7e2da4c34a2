package io.jenkins.plugins.imagetrust.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.ForwardingProxy;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What signing with provenance costs on the wire against a real docker-registry 2.8 (no referrers API), counted
 * through a forwarding proxy: the attestation adds its {@code .att} tag (written meanwhile, on another thread) and
 * two more pushes to the bundle format, whose referrers join the signature's in the one fallback-tag update.
 */
class ProvenanceSignRequestsTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();

    private final RegistryClient registry = RegistryClient.builder().build();
    private Signer key;

    @BeforeEach
    void setUp() throws Exception {
        key = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
    }

    @AfterEach
    void tearDown() {
        key.close();
    }

    private static Predicate provenance() {
        ObjectNode predicate = JsonMappers.lenient().createObjectNode();
        predicate.putObject("buildDefinition").put("buildType", "https://example.com/build/v1");
        predicate.putObject("runDetails").putObject("builder").put("id", "https://ci.example/job/app/");
        return new Predicate("slsaprovenance1", predicate);
    }

    /** The requests one sign of a fresh image issues through the proxy. */
    private List<ScriptedHttpServer.Request> requestsOfOneSign(String repository, List<Predicate> attestations) throws Exception {
        TestImages.push(registry, REGISTRY.reference(repository + ":1"), repository);
        try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> false)) {
            SignResult result = ImageSigner.builder().registry(RegistryClient.builder().build()).signer(key).build()
                    .sign(SignRequest.builder(ImageReference.parse(proxy.hostPort() + "/" + repository + ":1")).attestations(attestations).build());
            assertThat(result.alreadyPresent()).isFalse();
            assertThat(result.attestations()).hasSize(2 * attestations.size());
            assertThat(proxy.scriptFailures()).isEmpty();
            return List.copyOf(proxy.requests());
        }
    }

    private static long count(List<ScriptedHttpServer.Request> requests, String method, String pathEnd) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathEnd)).count();
    }

    @Test
    void provenanceAddsItsAttTagAndTwoBundlePushesButNoSecondFallbackTagUpdate() throws Exception {
        List<ScriptedHttpServer.Request> without = requestsOfOneSign("requests/plain", List.of());
        List<ScriptedHttpServer.Request> with = requestsOfOneSign("requests/provenance", List.of(provenance()));

        // HEAD the tag; .sig: GET, HEAD + POST + PUT payload and config, HEAD (unmoved?), PUT, HEAD after the settle
        // delay; bundle: the referrers API (404) and the fallback tag, HEAD + POST + PUT the empty config and the
        // bundle, PUT the referrer, then the fallback tag's GET, HEAD, PUT and HEAD after the settle delay.
        assertThat(without).hasSize(24);
        // + the .att tag as the .sig one (10), + the attestation bundle's HEAD + POST + PUT and its referrer's PUT
        assertThat(with).hasSize(24 + 10 + 4);
        String fallbackTag = "/manifests/sha256-";
        assertThat(with.stream().filter(r -> r.method().equals("PUT") && r.path().contains(fallbackTag) && !r.path().contains(".")).count())
                .as("one fallback-tag update lists both bundles").isEqualTo(1);
        assertThat(count(with, "PUT", ".att")).isEqualTo(1);
        assertThat(count(with, "PUT", ".sig")).isEqualTo(1);
    }

    @Test
    void anAttestationBundleOverTheReadLimitIsRefusedBeforeAnythingIsWritten() throws Exception {
        String repository = "requests/oversized";
        TestImages.push(registry, REGISTRY.reference(repository + ":1"), repository);
        ObjectNode predicate = JsonMappers.lenient().createObjectNode().put("spdxVersion", "SPDX-2.3");
        predicate.put("padding", "x".repeat(900 * 1024)); // base64 in the envelope, and the envelope in the bundle: over 1 MiB
        try (ForwardingProxy proxy = ForwardingProxy.start(REGISTRY.host(), (request, exchange, self) -> false)) {
            SigningException refused = catchThrowableOfType(() -> ImageSigner.builder().registry(RegistryClient.builder().build()).signer(key).build()
                    .sign(SignRequest.builder(ImageReference.parse(proxy.hostPort() + "/" + repository + ":1"))
                            .attestations(List.of(new Predicate("spdxjson", predicate))).build()), SigningException.class);

            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).matches("the attestation bundle for predicate type https://spdx.dev/Document has \\d+ bytes, over the limit "
                    + "of 1048576 bytes that verifiers read; nothing was written");
            assertThat(proxy.requests()).as("only reads before the refusal").allMatch(r -> r.method().equals("HEAD") || r.method().equals("GET"));
            assertThat(proxy.requests()).noneMatch(r -> r.path().contains("sha256-"));
        }
    }
}
