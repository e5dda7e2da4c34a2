package io.jenkins.plugins.imagetrust.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SigningException;
import io.jenkins.plugins.imagetrust.engine.cosign.CosignSignatureReader;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.SimpleSigningPayload;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import io.jenkins.plugins.imagetrust.engine.verify.SignatureCheck;
import io.jenkins.plugins.imagetrust.engine.verify.Verdict;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that lies about signatures, scripted in the test (raw sockets): payloads that do not match their digest,
 * payloads over the cap or endless, a {@code .sig} manifest of 10 000 layers, one that is not JSON, and one served
 * as another type. The image itself is served faithfully; each attack must leave the signature uncounted with a
 * precise reason, quickly, and without fetching what the verifier had no reason to fetch.
 */
class HostileRegistryTest {
    private static final String REPOSITORY = "team/app";
    private static final byte[] IMAGE_MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
            + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,\"digest\":\""
            + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)) + "\"},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    private static final Digest IMAGE_DIGEST = Digest.sha256(IMAGE_MANIFEST);

    /** What the scripted registry serves, by request path; anything else is 404. */
    private final Map<String, ScriptedHttpServer.Script> routes = new ConcurrentHashMap<>();
    private ScriptedHttpServer server;
    private ImageReference image;
    private Signer signer;
    private TrustPolicy policy;
    private RegistryClient registry;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedHttpServer.start((request, exchange) -> {
            ScriptedHttpServer.Script route = routes.get(request.path());
            if (route == null) {
                exchange.respond(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}", "Content-Type", "application/json");
            } else {
                route.answer(request, exchange);
            }
        });
        image = ImageReference.parse(server.hostPort() + "/" + REPOSITORY + ":1.0");
        serveBytes("/v2/" + REPOSITORY + "/manifests/1.0", IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST);
        serveBytes("/v2/" + REPOSITORY + "/manifests/" + IMAGE_DIGEST, IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST);
        signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        policy = TrustPolicy.builder().key(TrustedKey.builder("release", signer.publicKey()).build()).build();
        registry = RegistryClient.builder().requestTimeout(Duration.ofSeconds(5)).retries(0).build();
    }

    @AfterEach
    void stop() throws Exception {
        signer.close();
        server.close();
        assertThat(server.scriptFailures()).isEmpty();
    }

    /** Serves {@code body} at {@code path} for GET and HEAD, with the digest header a registry sends. */
    private void serveBytes(String path, byte[] body, String contentType) {
        routes.put(path, (request, exchange) -> {
            String[] headers = {"Content-Type", contentType, "Docker-Content-Digest", Digest.sha256(body).toString()};
            if (request.method().equals("HEAD")) {
                exchange.respondHead(200, body.length, headers);
            } else {
                exchange.respond(200, body, headers);
            }
        });
    }

    private String signatureManifestPath() {
        return "/v2/" + REPOSITORY + "/manifests/" + IMAGE_DIGEST.signatureTag();
    }

    private static String blobPath(Digest digest) {
        return "/v2/" + REPOSITORY + "/blobs/" + digest;
    }

    private long blobRequests() {
        return server.requests().stream().filter(r -> r.path().contains("/blobs/")).count();
    }

    /** A genuine payload for the image, its signature by the trusted key, and the one-layer .sig manifest; returns the payload. */
    private byte[] serveGenuineSignature() throws Exception {
        byte[] payload = SimpleSigningPayload.create(image, IMAGE_DIGEST, Map.of("build", "7"));
        SignatureManifest manifest = SignatureManifest.empty().withSignature(Digest.sha256(payload), payload.length, signer.sign(payload));
        byte[] config = manifest.configBlob();
        serveBytes(signatureManifestPath(), manifest.toBytes(Digest.sha256(config), config.length), MediaTypes.OCI_MANIFEST);
        return payload;
    }

    private VerificationReport verify() throws Exception {
        return ImageVerifier.builder().registry(registry).policy(policy).build().verify(image);
    }

    private static SignatureCheck onlyCheck(VerificationReport report) {
        assertThat(report.trusted()).isFalse();
        assertThat(report.verdict()).isEqualTo(Verdict.THRESHOLD_NOT_MET);
        assertThat(report.signatures()).hasSize(1);
        SignatureCheck check = report.signatures().get(0);
        assertThat(check.counted()).isFalse();
        return check;
    }

    @Test
    void theScriptedRegistryServesAGenuineSignatureFaithfully() throws Exception {
        byte[] payload = serveGenuineSignature();
        serveBytes(blobPath(Digest.sha256(payload)), payload, "application/octet-stream");
        assertThat(verify().trusted()).isTrue();
    }

    @Test
    void aPayloadWhoseBytesDoNotMatchItsDigestIsUnavailableAndNotCounted() throws Exception {
        byte[] payload = serveGenuineSignature();
        // same length, one annotation value changed: what a registry swapping the payload would serve
        byte[] swapped = new String(payload, StandardCharsets.UTF_8).replace("\"build\":\"7\"", "\"build\":\"8\"").getBytes(StandardCharsets.UTF_8);
        assertThat(swapped).hasSameSizeAs(payload).isNotEqualTo(payload);
        serveBytes(blobPath(Digest.sha256(payload)), swapped, "application/octet-stream");
        SignatureCheck check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
        assertThat(check.detail()).contains(Digest.sha256(payload).toString()).contains(Digest.sha256(swapped).toString())
                .contains(server.hostPort());
    }

    @Test
    void aPayloadDeclaredOverTheCapIsNotFetched() throws Exception {
        byte[] payload = SimpleSigningPayload.create(image, IMAGE_DIGEST, Map.of());
        long declared = CosignSignatureReader.MAX_PAYLOAD_BYTES + 1;
        SignatureManifest manifest = SignatureManifest.empty().withSignature(Digest.sha256(payload), declared, signer.sign(payload));
        serveBytes(signatureManifestPath(), manifest.toBytes(Digest.sha256(payload), 1), MediaTypes.OCI_MANIFEST);
        SignatureCheck check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
        assertThat(check.detail()).contains("declares size " + declared);
        assertThat(blobRequests()).isZero();
    }

    @Test
    void aPayloadBodyOverTheCapOrEndlessIsCutAtTheCap() throws Exception {
        byte[] payload = serveGenuineSignature();
        // the layer declares the true small size; the registry then sends far more, then never stops
        byte[] oversized = Arrays.copyOf(payload, (int) CosignSignatureReader.MAX_PAYLOAD_BYTES * 4);
        serveBytes(blobPath(Digest.sha256(payload)), oversized, "application/octet-stream");
        long started = System.nanoTime();
        SignatureCheck check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
        assertThat(check.detail()).contains(String.valueOf(CosignSignatureReader.MAX_PAYLOAD_BYTES));

        routes.put(blobPath(Digest.sha256(payload)), (request, exchange) -> {
            exchange.writeHead(200, -1, "Content-Type", "application/octet-stream");
            byte[] chunk = new byte[8192];
            while (!exchange.isClosed()) {
                exchange.writeChunk(chunk); // until the client hangs up (SocketException ends the script)
            }
        });
        check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.PAYLOAD_UNAVAILABLE);
        assertThat(check.detail()).contains(String.valueOf(CosignSignatureReader.MAX_PAYLOAD_BYTES));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void tenThousandLayersAreRefusedByTheCapQuicklyWithoutFetchingABlob() throws Exception {
        byte[] payload = SimpleSigningPayload.create(image, IMAGE_DIGEST, Map.of());
        String layer = "{\"mediaType\":\"" + MediaTypes.COSIGN_SIMPLE_SIGNING + "\",\"digest\":\"" + Digest.sha256(payload) + "\",\"size\":"
                + payload.length + ",\"annotations\":{\"" + SignatureManifest.SIGNATURE_ANNOTATION + "\":\""
                + Base64.getEncoder().encodeToString(signer.sign(payload)) + "\"}}";
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(payload) + "\",\"size\":1},\"layers\":[");
        for (int i = 0; i < 10_000; i++) {
            json.append(i == 0 ? "" : ",").append(layer);
        }
        byte[] manifest = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(manifest.length).as("under the 4 MiB manifest cap, so the layer cap is what stops it").isLessThan(4 * 1024 * 1024);
        serveBytes(signatureManifestPath(), manifest, MediaTypes.OCI_MANIFEST);
        serveBytes(blobPath(Digest.sha256(payload)), payload, "application/octet-stream");
        long started = System.nanoTime();
        SignatureCheck check = onlyCheck(verify());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(check.reason()).contains(RejectionReason.MALFORMED_SIGNATURE);
        assertThat(check.detail()).contains("10000 layers").contains("at most " + SignatureManifest.MAX_LAYERS);
        assertThat(blobRequests()).isZero();
    }

    @Test
    void aSignatureManifestThatIsNotJsonIsMalformed() throws Exception {
        serveBytes(signatureManifestPath(), "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        SignatureCheck check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.MALFORMED_SIGNATURE);
        assertThat(check.detail()).contains("not JSON");
        assertThat(blobRequests()).isZero();
    }

    @Test
    void aSignatureManifestServedAsAnotherTypeIsMalformed() throws Exception {
        byte[] payload = serveGenuineSignature();
        serveBytes(blobPath(Digest.sha256(payload)), payload, "application/octet-stream");
        byte[] manifest = genuineManifestBytes(payload);
        for (String type : new String[] {MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST, "text/html"}) {
            serveBytes(signatureManifestPath(), manifest, type);
            SignatureCheck check = onlyCheck(verify());
            assertThat(check.reason()).as(type).contains(RejectionReason.MALFORMED_SIGNATURE);
            assertThat(check.detail()).contains("'" + type + "'");
        }
        assertThat(blobRequests()).isZero();
        // cosign has written both image manifest types over the years: both are read
        for (String type : new String[] {MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST}) {
            serveBytes(signatureManifestPath(), manifest, type);
            assertThat(verify().trusted()).as(type).isTrue();
        }
    }

    @Test
    void aLayerOfAnotherMediaTypeIsNotReadAsASignature() throws Exception {
        byte[] payload = serveGenuineSignature();
        serveBytes(blobPath(Digest.sha256(payload)), payload, "application/octet-stream");
        String manifest = new String(genuineManifestBytes(payload), StandardCharsets.UTF_8)
                .replace(MediaTypes.COSIGN_SIMPLE_SIGNING, "application/vnd.in-toto+json");
        serveBytes(signatureManifestPath(), manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        SignatureCheck check = onlyCheck(verify());
        assertThat(check.reason()).contains(RejectionReason.UNSUPPORTED_LAYER);
        assertThat(check.detail()).contains("application/vnd.in-toto+json");
        assertThat(blobRequests()).isZero();
    }

    @Test
    void signingRefusesToReplaceAMalformedSignatureManifest() throws Exception {
        serveBytes(signatureManifestPath(), "{\"schemaVersion\":2,\"layers\":{}}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        ImageSigner imageSigner = ImageSigner.builder().registry(registry).signer(signer).build();
        assertThatThrownBy(() -> imageSigner.sign(SignRequest.builder(image).expectedDigest(IMAGE_DIGEST).build()))
                .isInstanceOf(SigningException.class).hasMessageContaining("malformed").hasMessageContaining("could lose signatures");
        // nothing was uploaded or overwritten
        assertThat(server.requests()).extracting(ScriptedHttpServer.Request::method).containsOnly("HEAD", "GET");
    }

    private byte[] genuineManifestBytes(byte[] payload) throws Exception {
        SignatureManifest manifest = SignatureManifest.empty().withSignature(Digest.sha256(payload), payload.length, signer.sign(payload));
        byte[] config = manifest.configBlob();
        return manifest.toBytes(Digest.sha256(config), config.length);
    }
}
