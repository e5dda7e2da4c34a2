package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.SigningException;
import io.jenkins.plugins.imagetrust.engine.attestation.Predicate;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry with the OCI 1.1 referrers API: a scripted server in front of the real docker-registry that answers
 * {@code GET /v2/<name>/referrers/<digest>} from the manifests pushed through it and acknowledges a pushed
 * {@code subject} with {@code OCI-Subject}; everything else is passed through. Also the referrers endpoint misbehaving.
 */
class ReferrersApiTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the scripted referrers endpoint answers. */
    private enum Mode { INDEX, GARBAGE, OVERSIZE, WRONG_TYPE, REFUSE_ARTIFACTS }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.INDEX);
    /** subject digest → index entries of the manifests pushed with that subject. */
    private final Map<String, List<ObjectNode>> referrers = new ConcurrentHashMap<>();
    private final HttpClient upstream = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ScriptedHttpServer server;
    private RegistryClient registry;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedHttpServer.start(this::answer);
        registry = RegistryClient.builder().requestTimeout(Duration.ofSeconds(10)).retries(0).maxManifestBytes(64 * 1024).build();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        assertThat(server.scriptFailures()).isEmpty();
    }

    private void answer(ScriptedHttpServer.Request request, ScriptedHttpServer.Exchange exchange) throws Exception {
        String path = request.path();
        int at = path.indexOf("/referrers/");
        if (request.method().equals("GET") && at > 0) {
            String subject = path.substring(at + "/referrers/".length());
            switch (mode.get()) {
                case GARBAGE -> exchange.respond(200, "<html>not an index</html>", "Content-Type", MediaTypes.OCI_INDEX);
                case WRONG_TYPE -> exchange.respond(200, "{}", "Content-Type", "text/html");
                case OVERSIZE -> exchange.respond(200, new byte[128 * 1024], "Content-Type", MediaTypes.OCI_INDEX);
                default -> {
                    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
                    ArrayNode manifests = index.putArray("manifests");
                    referrers.getOrDefault(subject, List.of()).forEach(manifests::add);
                    exchange.respond(200, JSON.writeValueAsBytes(index), "Content-Type", MediaTypes.OCI_INDEX);
                }
            }
            return;
        }
        if (mode.get() == Mode.REFUSE_ARTIFACTS && request.method().equals("PUT") && path.contains("/manifests/sha256:")
                && new String(request.body(), StandardCharsets.UTF_8).contains("\"subject\"")) {
            exchange.respond(400, "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\",\"detail\":\"unknown field subject\"}]}",
                    "Content-Type", "application/json");
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(REGISTRY.url() + request.target())).timeout(Duration.ofSeconds(10));
        request.header("Accept").ifPresent(v -> forward.header("Accept", v));
        request.header("Content-Type").ifPresent(v -> forward.header("Content-Type", v));
        forward.method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        HttpResponse<byte[]> response = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        List<String> headers = new ArrayList<>();
        for (String name : List.of("Content-Type", "Docker-Content-Digest", "Location", "Range", "Docker-Upload-UUID")) {
            response.headers().firstValue(name).ifPresent(v -> {
                headers.add(name);
                headers.add(v.replace(REGISTRY.url(), "http://" + server.hostPort()));
            });
        }
        if (request.method().equals("PUT") && path.contains("/manifests/") && response.statusCode() == 201) {
            JsonNode manifest = JSON.readTree(request.body());
            if (manifest.has("subject")) {
                ObjectNode entry = JSON.createObjectNode();
                entry.put("mediaType", manifest.path("mediaType").asText());
                entry.put("digest", Digest.sha256(request.body()).toString());
                entry.put("size", request.body().length);
                entry.put("artifactType", manifest.path("artifactType").asText());
                if (manifest.has("annotations")) {
                    entry.set("annotations", manifest.get("annotations"));
                }
                String subject = manifest.at("/subject/digest").asText();
                referrers.computeIfAbsent(subject, k -> new ArrayList<>()).add(entry);
                headers.add("OCI-Subject");
                headers.add(subject);
            }
        }
        String[] headerArray = headers.toArray(new String[0]);
        if (request.method().equals("HEAD")) {
            exchange.respondHead(response.statusCode(), response.headers().firstValueAsLong("Content-Length").orElse(0), headerArray);
        } else {
            exchange.respond(response.statusCode(), response.body(), headerArray);
        }
    }

    private ImageReference reference(String repositoryAndTag) {
        return ImageReference.parse(server.hostPort() + "/" + repositoryAndTag);
    }

    private static TrustPolicy trusting(Signer signer) {
        return TrustPolicy.builder().key(TrustedKey.builder("k", signer.publicKey()).build()).build();
    }

    @Test
    void aRegistryWithTheReferrersApiIndexesTheBundleSoNoFallbackTagIsWritten() throws Exception {
        ImageReference image = reference("api/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            SignResult result = ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build());
            assertThat(result.bundle().orElseThrow().fallbackTag()).isEmpty();
            assertThat(registry.fetchManifest(image, RegistryClient.referrersFallbackTag(digest))).isEmpty();
            assertThat(server.requests()).noneMatch(r -> r.method().equals("PUT") && r.path().endsWith("/manifests/sha256-" + digest.hex()));
            assertThat(referrers.get(digest.toString())).hasSize(1);

            VerificationReport report = ImageVerifier.builder().registry(registry).policy(trusting(signer)).build().verify(image);
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.signatures()).singleElement().extracting(SignatureCheck::format).isEqualTo(SignatureFormat.BUNDLE);
            assertThat(server.requests()).anyMatch(r -> r.path().equals("/v2/api/app/referrers/" + digest));

            SignResult again = ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build());
            assertThat(again.alreadyPresent()).isTrue();
            assertThat(referrers.get(digest.toString())).hasSize(1);
        }
    }

    @Test
    void signingWithProvenanceAttachesBothBundlesThroughTheReferrersApiWithNoFallbackTag() throws Exception {
        ImageReference image = reference("api/provenance:1.0");
        Digest digest = TestImages.push(registry, image);
        ObjectNode predicate = JSON.createObjectNode();
        predicate.putObject("runDetails").putObject("builder").put("id", "https://ci.example/job/app/");
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            SignResult result = ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).attestations(List.of(new Predicate("slsaprovenance1", predicate))).build());

            assertThat(result.bundle().orElseThrow().fallbackTag()).isEmpty();
            assertThat(result.attestations()).extracting(stored -> stored.format().id()).containsExactly("legacy", "bundle");
            assertThat(result.attestations().get(1)).isInstanceOfSatisfying(BundlePublisher.Published.class,
                    attested -> assertThat(attested.fallbackTag()).isEmpty());
            assertThat(server.requests()).noneMatch(r -> r.method().equals("PUT") && r.path().endsWith("/manifests/sha256-" + digest.hex()));
            assertThat(referrers.get(digest.toString())).hasSize(2)
                    .anyMatch(entry -> entry.path("annotations").path("dev.sigstore.bundle.predicateType").asText().equals(PredicateTypes.SLSA_PROVENANCE_V1))
                    .allMatch(entry -> entry.path("artifactType").asText().equals(MediaTypes.SIGSTORE_BUNDLE));
            assertThat(registry.fetchManifest(image, digest.attestationTag())).as("the legacy .att tag, written beside .sig").isPresent();
            assertThat(ImageVerifier.builder().registry(registry).policy(trusting(signer)).build().verify(image).trusted()).isTrue();
        }
    }

    @Test
    void aRegistryRefusingTheReferrerSaysTheLegacySignatureIsStored() throws Exception {
        ImageReference image = reference("refuses/app:1.0");
        Digest digest = TestImages.push(registry, image);
        mode.set(Mode.REFUSE_ARTIFACTS);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageSigner imageSigner = ImageSigner.builder().registry(registry).signer(signer).build();
            assertThatThrownBy(() -> imageSigner.sign(SignRequest.builder(image).build())).isInstanceOf(SigningException.class)
                    .hasMessageContaining("legacy signature").hasMessageContaining("is stored at").hasMessageContaining(digest.signatureTag())
                    .hasMessageContaining("MANIFEST_INVALID");
            assertThat(registry.fetchManifest(image, digest.signatureTag())).isPresent();
            assertThat(ImageVerifier.builder().registry(registry).policy(trusting(signer)).build().verify(image).trusted()).isTrue();
            assertThatThrownBy(() -> imageSigner.sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build()))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("MANIFEST_INVALID");
            assertThat(imageSigner.sign(SignRequest.builder(image).signatureFormat(SignatureFormat.LEGACY).build()).alreadyPresent()).isTrue();
        }
    }

    @Test
    void aLongReferrerListIsReadOncePerManifestUpToTheCapSkippingOtherArtifactTypes() throws Exception {
        ImageReference image = reference("many/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build());
            ObjectNode ours = referrers.get(digest.toString()).get(0);
            String oursPath = "/manifests/" + ours.get("digest").asText();
            ImageVerifier verifier = ImageVerifier.builder().registry(registry).policy(trusting(signer)).build();

            // The same entry 120 times: fetched once, counted once.
            List<ObjectNode> repeated = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                repeated.add(ours.deepCopy());
            }
            referrers.put(digest.toString(), repeated);
            int before = server.requests().size();
            VerificationReport report = verifier.verify(image);
            assertThat(fetches(before, oursPath)).isEqualTo(1);
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(report.signatures()).hasSize(1);

            // 100 referrers of another artifact type in front: never fetched, so ours is still read.
            List<ObjectNode> others = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                others.add(entry(Digest.sha256(("sbom " + i).getBytes(StandardCharsets.UTF_8)), "application/spdx+json"));
            }
            others.add(ours);
            referrers.put(digest.toString(), others);
            before = server.requests().size();
            report = verifier.verify(image);
            assertThat(report.trusted()).as(report.summary()).isTrue();
            assertThat(server.requests().subList(before, server.requests().size())).filteredOn(r -> r.path().contains("/manifests/sha256:"))
                    .singleElement().extracting(ScriptedHttpServer.Request::path).isEqualTo("/v2/many/app" + oursPath);

            // As many bundle-typed entries in front as a verifier reads: ours is past the cap, and the report says so.
            List<ObjectNode> crowded = new ArrayList<>();
            for (int i = 0; i < BundleSignatureReader.MAX_REFERRERS; i++) {
                crowded.add(entry(Digest.sha256(("junk " + i).getBytes(StandardCharsets.UTF_8)), MediaTypes.SIGSTORE_BUNDLE));
            }
            crowded.add(ours);
            referrers.put(digest.toString(), crowded);
            before = server.requests().size();
            report = verifier.verify(image);
            assertThat(fetches(before, oursPath)).isZero();
            assertThat(report.trusted()).isFalse();
            assertThat(report.signatures()).hasSize(BundleSignatureReader.MAX_REFERRERS)
                    .allSatisfy(check -> assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE));

            // An index longer than any registry should serve: the bundles cannot be read; verification says why.
            List<ObjectNode> endless = new ArrayList<>();
            for (int i = 0; i <= ReferrersIndex.MAX_ENTRIES; i++) {
                endless.add(ours);
            }
            referrers.put(digest.toString(), endless);
            VerificationReport unreadable = ImageVerifier.builder().registry(RegistryClient.builder().retries(0).maxManifestBytes(16L << 20).build())
                    .policy(trusting(signer)).build().verify(image);
            assertThat(unreadable.trusted()).isFalse();
            assertThat(unreadable.signatures()).singleElement().satisfies(check -> {
                assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
                assertThat(check.detail()).contains("at most " + ReferrersIndex.MAX_ENTRIES);
            });
        }
    }

    /** Verifies {@code image}, expects it untrusted with one unreadable-bundles check, and returns that check's detail. */
    private static String unreadableBundles(ImageVerifier verifier, ImageReference image) throws Exception {
        VerificationReport report = verifier.verify(image);
        assertThat(report.trusted()).isFalse();
        SignatureCheck check = report.signatures().stream().filter(c -> c.format() == SignatureFormat.BUNDLE).findFirst().orElseThrow();
        assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
        return check.detail();
    }

    private long fetches(int since, String manifestPath) {
        return server.requests().subList(since, server.requests().size()).stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith(manifestPath)).count();
    }

    private static ObjectNode entry(Digest digest, String artifactType) {
        return JSON.createObjectNode().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", digest.toString()).put("size", 500)
                .put("artifactType", artifactType);
    }

    @Test
    void aReferrersEndpointAnsweringGarbageIsAClearError() throws Exception {
        ImageReference image = reference("garbage/app:1.0");
        Digest digest = TestImages.push(registry, image);
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            ImageVerifier verifier = ImageVerifier.builder().registry(registry).policy(trusting(signer)).build();
            // Verifying: the bundles count for nothing and the report says why; .sig signatures would still count.
            mode.set(Mode.GARBAGE);
            assertThat(unreadableBundles(verifier, image)).contains("referrers of " + digest.shortForm()).contains("not JSON");
            mode.set(Mode.WRONG_TYPE);
            assertThat(unreadableBundles(verifier, image)).contains("text/html").contains("instead of an OCI image index");
            mode.set(Mode.OVERSIZE);
            assertThat(unreadableBundles(verifier, image)).contains("referrers index");
            ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.LEGACY).build());
            VerificationReport legacy = verifier.verify(image);
            assertThat(legacy.trusted()).as("the .sig signature still counts: " + legacy.summary()).isTrue();
            // Signing reads the referrers first (to add no duplicate): it refuses too, before writing anything.
            int before = server.requests().size();
            assertThatThrownBy(() -> ImageSigner.builder().registry(registry).signer(signer).build()
                    .sign(SignRequest.builder(image).signatureFormat(SignatureFormat.BUNDLE).build())).isInstanceOf(RegistryException.class);
            assertThat(server.requests().subList(before, server.requests().size())).noneMatch(r -> r.method().equals("PUT"));
        }
    }
}
