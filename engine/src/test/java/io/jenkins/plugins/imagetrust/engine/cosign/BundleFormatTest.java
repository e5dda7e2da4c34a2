package io.jenkins.plugins.imagetrust.engine.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.SignatureVerifier;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundle's pieces in isolation: DSSE PAE, the statement, the bundle JSON, the referrer manifest and the index. */
class BundleFormatTest {
    private static final Digest IMAGE = Digest.parse("sha256:adb8b1e2ab8b7f28f94a31f7d962a42fbb9ebad2c519419b8c48877bfab6cf1a");
    private static final ImageReference REPO = ImageReference.parse("127.0.0.1:5001/lab/sigstore:signed");

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void paeIsTheDsseSpecsEncoding() {
        // The example of secure-systems-lab/dsse protocol.md.
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", utf8("hello world")), StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
        assertThat(Dsse.pae("", new byte[0])).isEqualTo(utf8("DSSEv1 0  0 "));
        // Lengths count bytes, not characters.
        assertThat(new String(Dsse.pae("t", utf8("é")), StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }

    @Test
    void statementRoundTripsAndNamesTheDigest() throws Exception {
        byte[] bytes = InTotoStatement.create(REPO, IMAGE, Map.of("b", "2", "a", "1"));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":"
                + "\"127.0.0.1:5001/lab/sigstore\",\"digest\":{\"sha256\":\"" + IMAGE.hex() + "\"},\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}],"
                + "\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}");
        InTotoStatement statement = InTotoStatement.parse(bytes);
        assertThat(statement.predicateType()).isEqualTo(InTotoStatement.COSIGN_SIGN_PREDICATE_TYPE);
        assertThat(statement.subjectFor(IMAGE)).hasValueSatisfying(s -> {
            assertThat(s.name()).contains("127.0.0.1:5001/lab/sigstore");
            assertThat(s.annotations()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        });
        assertThat(statement.subjectFor(Digest.sha256(utf8("other")))).isEmpty();
    }

    @Test
    void cosignsStatementWithoutNameParses() throws Exception {
        // What cosign's signDigestBundle writes: no subject name, empty annotations, protojson spacing.
        String cosign = "{\"_type\":\"https://in-toto.io/Statement/v1\", \"subject\":[{\"digest\":{\"sha256\":\"" + IMAGE.hex()
                + "\"}, \"annotations\":{}}], \"predicateType\":\"https://sigstore.dev/cosign/sign/v1\", \"predicate\":{}}";
        assertThat(InTotoStatement.parse(utf8(cosign)).subjectFor(IMAGE)).hasValueSatisfying(s -> assertThat(s.name()).isEmpty());
    }

    @Test
    void ambiguousOrIncompleteStatementsAreRefused() {
        String good = new String(InTotoStatement.create(REPO, IMAGE, Map.of()), StandardCharsets.UTF_8);
        assertMalformed(good.replace("{\"_type\"", "{\"_type\":\"x\",\"_type\""), "Duplicate");
        assertMalformed(good.replace("Statement/v1", "Statement/v0.1"), "_type");
        assertMalformed(good.replace("\"subject\"", "\"subjects\""), "no subject");
        assertMalformed(good + "{}", "not JSON");
        assertMalformed(good.replace("{\"sha256\":\"" + IMAGE.hex() + "\"}", "{}"), "no digest");
        assertMalformed(good.replace("\"name\":\"127.0.0.1:5001/lab/sigstore\"", "\"name\":7"), "name");
    }

    private static void assertMalformed(String statement, String message) {
        assertThatThrownBy(() -> InTotoStatement.parse(utf8(statement))).isInstanceOf(MalformedSignatureException.class)
                .hasMessageContaining(message).extracting(e -> ((MalformedSignatureException) e).reason()).isEqualTo(RejectionReason.MALFORMED_BUNDLE);
    }

    @Test
    void ourBundleParsesBackAndItsSignatureIsOverThePae() throws Exception {
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            byte[] statement = InTotoStatement.create(REPO, IMAGE, Map.of());
            byte[] signature = signer.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
            SigstoreBundle bundle = SigstoreBundle.parse(SigstoreBundle.createDsse(statement, signature, signer.publicKey()));
            assertThat(bundle.publicKeyHint()).contains(SigstoreBundle.publicKeyHint(signer.publicKey()));
            SigstoreBundle.DsseContent dsse = (SigstoreBundle.DsseContent) bundle.content();
            assertThat(dsse.payloadType()).isEqualTo("application/vnd.in-toto+json");
            assertThat(dsse.payload()).isEqualTo(statement);
            byte[] sig = dsse.signatures().get(0).sig();
            assertThat(SignatureVerifier.verify(signer.publicKey(), signer.scheme(), Dsse.pae(dsse.payloadType(), dsse.payload()), sig)).isTrue();
            assertThat(SignatureVerifier.verify(signer.publicKey(), signer.scheme(), statement, sig)).isFalse();
        }
    }

    @Test
    void bundlesAreReadStrictly() throws Exception {
        String bundle = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{},";
        assertBundle(bundle + "\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[]}}", RejectionReason.BAD_DSSE, "no signatures");
        assertBundle(bundle + "\"dsseEnvelope\":{\"payload\":\"!!\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\"}]}}",
                RejectionReason.BAD_DSSE, "not base64");
        assertBundle(bundle + "\"dsseEnvelope\":{\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\"}]}}", RejectionReason.BAD_DSSE, "payloadType");
        // The one DSSE reading (intoto.DsseEnvelope) holds bundles to what .att envelopes are held to.
        assertBundle(bundle + "\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[\"AA==\"]}}", RejectionReason.BAD_DSSE,
                "not an object");
        assertBundle(bundle + "\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\",\"keyid\":1}]}}",
                RejectionReason.BAD_DSSE, "keyid");
        assertBundle(bundle + "\"dsseEnvelope\":{},\"messageSignature\":{}}", RejectionReason.MALFORMED_BUNDLE, "exactly one");
        assertBundle(bundle + "\"x\":1}", RejectionReason.MALFORMED_BUNDLE, "exactly one");
        assertBundle(bundle.replace("v0.3", "v0.1") + "\"dsseEnvelope\":{}}", RejectionReason.MALFORMED_BUNDLE, "mediaType");
        assertBundle("[]", RejectionReason.MALFORMED_BUNDLE, "not a JSON object");
        StringBuilder many = new StringBuilder(bundle + "\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[");
        for (int i = 0; i <= SigstoreBundle.MAX_SIGNATURES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"sig\":\"AA==\"}");
        }
        assertBundle(many + "]}}", RejectionReason.BAD_DSSE, "at most");
        // protobuf JSON accepts URL-safe base64 for bytes.
        SigstoreBundle urlSafe = SigstoreBundle.parse(utf8(bundle + "\"dsseEnvelope\":{\"payload\":\"-_8\",\"payloadType\":\"t\","
                + "\"signatures\":[{\"sig\":\"_w\",\"keyid\":\"k\"}]}}"));
        SigstoreBundle.DsseContent dsse = (SigstoreBundle.DsseContent) urlSafe.content();
        assertThat(dsse.payload()).containsExactly((byte) 0xfb, (byte) 0xff);
        assertThat(dsse.signatures().get(0).keyId()).isEqualTo("k");
        SigstoreBundle message = SigstoreBundle.parse(utf8(bundle + "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\","
                + "\"digest\":\"AAE=\"},\"signature\":\"AA==\"}}"));
        assertThat(((SigstoreBundle.MessageSignatureContent) message.content()).digestAlgorithm()).isEqualTo("SHA2_256");
    }

    private static void assertBundle(String bundle, RejectionReason reason, String message) {
        assertThatThrownBy(() -> SigstoreBundle.parse(utf8(bundle))).isInstanceOf(MalformedSignatureException.class).hasMessageContaining(message)
                .extracting(e -> ((MalformedSignatureException) e).reason()).isEqualTo(reason);
    }

    @Test
    void referrerManifestNamesItsSubjectAndBundle() throws Exception {
        Digest bundle = Digest.sha256(utf8("bundle"));
        byte[] bytes = ReferrerManifest.create(new Descriptor(MediaTypes.SIGSTORE_BUNDLE, bundle, 6),
                new Descriptor(MediaTypes.DOCKER_MANIFEST, IMAGE, 524), ReferrerManifest.dsseAnnotations(Instant.parse("2026-11-25T10:11:12.345Z")));
        ReferrerManifest manifest = ReferrerManifest.parse(bytes);
        assertThat(manifest.isBundleReferrer()).isTrue();
        assertThat(manifest.artifactType()).contains(MediaTypes.SIGSTORE_BUNDLE);
        assertThat(manifest.subject().flatMap(ReferrerManifest.Entry::digest)).contains(IMAGE);
        assertThat(manifest.bundleLayer().flatMap(ReferrerManifest.Entry::digest)).contains(bundle);
        assertThat(manifest.annotations()).containsEntry(ReferrerManifest.CREATED_ANNOTATION, "2026-11-25T10:11:12Z");
        assertThat(Digest.sha256(ReferrerManifest.EMPTY_CONFIG).toString())
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        // A manifest whose artifactType was lost is still recognised by its layer.
        ReferrerManifest untyped = ReferrerManifest.parse(utf8(new String(bytes, StandardCharsets.UTF_8)
                .replace("\"artifactType\":\"" + MediaTypes.SIGSTORE_BUNDLE + "\",", "")));
        assertThat(untyped.artifactType()).isEmpty();
        assertThat(untyped.isBundleReferrer()).isTrue();
    }

    @Test
    void theIndexKeepsWhatItHeldAndAppends() throws Exception {
        String foreign = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + IMAGE + "\",\"size\":1,\"artifactType\":\"a/b\","
                + "\"x\":{\"big\":123456789012345678901234567890,\"dec\":1.10}}],\"annotations\":{\"k\":\"v\"}}";
        ReferrersIndex index = ReferrersIndex.parse(utf8(foreign));
        Digest ours = Digest.sha256(utf8("ours"));
        ReferrersIndex next = index.with(new Descriptor(MediaTypes.OCI_MANIFEST, ours, 9), MediaTypes.SIGSTORE_BUNDLE, Map.of("z", "1"));
        String written = new String(next.toBytes(), StandardCharsets.UTF_8);
        assertThat(written).startsWith(foreign.substring(0, foreign.indexOf("]")));
        assertThat(written).contains("123456789012345678901234567890").contains("1.10").contains("\"annotations\":{\"k\":\"v\"}");
        assertThat(next.entries()).hasSize(2);
        assertThat(next.contains(ours)).isTrue();
        assertThat(index.contains(ours)).as("the original is not changed").isFalse();
        assertThat(next.entries().get(1).artifactType()).isEqualTo(MediaTypes.SIGSTORE_BUNDLE);
        assertThatThrownBy(() -> ReferrersIndex.parse(utf8("{\"schemaVersion\":2,\"manifests\":{}}"))).hasMessageContaining("not an array");
        assertThatThrownBy(() -> ReferrersIndex.parse(utf8("{\"schemaVersion\":2,\"manifests\":[1]}"))).hasMessageContaining("not an object");
    }

    @Test
    void signatureFormatIds() {
        assertThat(SignatureFormat.fromId("Both")).isEqualTo(SignatureFormat.BOTH);
        assertThat(SignatureFormat.BOTH.writes().contains(SignatureFormat.LEGACY) && SignatureFormat.BOTH.writes().contains(SignatureFormat.BUNDLE)).isTrue();
        assertThat(SignatureFormat.LEGACY.writes().contains(SignatureFormat.BUNDLE)).isFalse();
        assertThat(SignatureFormat.BUNDLE.writes().contains(SignatureFormat.LEGACY)).isFalse();
        assertThatThrownBy(() -> SignatureFormat.fromId("sig")).hasMessageContaining("'legacy', 'bundle' or 'both'");
    }
}
