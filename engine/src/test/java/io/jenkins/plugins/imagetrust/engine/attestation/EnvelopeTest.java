package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.cosign.SigstoreBundle;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.OpenSsl;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeTest {
    private static final String PAYLOAD_B64 = Base64.getEncoder().encodeToString("{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8));
    private static final String SIG_B64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, (byte) 0xfb, (byte) 0xff});

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] statement() {
        return Statement.write(List.of(Subject.of(StatementTest.IMAGE, StatementTest.AMD64)), PredicateTypes.SLSA_PROVENANCE_V1,
                StatementTest.predicate("https://ci.example/job/app/"));
    }

    @Test
    void writesTheEnvelopeAsCosignWritesItIntoAnAttLayer() throws Exception {
        // cosign 3's protobuf order (payload first, no keyid) reads; we write go-securesystemslib's dsse.Envelope order
        Envelope envelope = Envelope.parse(bytes("{\"payload\":\"" + PAYLOAD_B64 + "\",\"payloadType\":\"application/vnd.in-toto+json\","
                + "\"signatures\":[{\"sig\":\"" + SIG_B64 + "\"}]}"));

        assertThat(new String(envelope.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"payloadType\":\"application/vnd.in-toto+json\","
                + "\"payload\":\"eyJrIjoidiJ9\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"AQID+/8=\"}]}");
        assertThat(Envelope.parse(envelope.toJson()).payload()).isEqualTo(envelope.payload());
    }

    @Test
    void theSignatureIsOverThePaeAndOpensslAgrees(@TempDir Path dir) throws Exception {
        byte[] statement = statement();
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Envelope envelope = Envelope.signStatement(signer, statement);

            assertThat(envelope.payloadType()).isEqualTo("application/vnd.in-toto+json");
            assertThat(envelope.signatures()).singleElement().satisfies(s -> assertThat(s.keyId()).isEmpty());
            assertThat(new String(envelope.pae(), 0, 39, StandardCharsets.US_ASCII)).isEqualTo("DSSEv1 28 application/vnd.in-toto+json ");
            OpenSsl openssl = new OpenSsl(dir);
            Files.writeString(dir.resolve("key.pub"), PublicKeys.toPem(signer.publicKey()));
            Files.write(dir.resolve("pae"), envelope.pae());
            Files.write(dir.resolve("statement"), statement);
            Files.write(dir.resolve("sig"), envelope.signatures().get(0).sig());
            assertThat(openssl.run("dgst", "-sha256", "-verify", "key.pub", "-signature", "sig", "pae")).contains("Verified OK");
            assertThat(openssl.tryRun("dgst", "-sha256", "-verify", "key.pub", "-signature", "sig", "statement").exitCode()).isNotZero();
        }
    }

    @Test
    void theSameEnvelopeGoesIntoASigstoreBundleAndComesBackOut() throws Exception {
        try (Signer signer = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256))) {
            Envelope envelope = Envelope.signStatement(signer, statement());
            SigstoreBundle bundle = SigstoreBundle.parse(envelope.toBundle(signer.publicKey()));

            assertThat(bundle.publicKeyHint()).contains(SigstoreBundle.publicKeyHint(signer.publicKey()));
            Envelope back = Envelope.of((SigstoreBundle.DsseContent) bundle.content());
            assertThat(back.toJson()).isEqualTo(envelope.toJson());

            Envelope other = Envelope.sign(signer, "text/plain", bytes("x"));
            assertThatThrownBy(() -> other.toBundle(signer.publicKey())).hasMessageContaining("payload type 'text/plain'");
        }
    }

    @Test
    void acceptsUrlSafeBase64AndAnAbsentKeyId() throws Exception {
        Envelope envelope = Envelope.parse(bytes("{\"payloadType\":\"t\",\"payload\":\"" + PAYLOAD_B64 + "\",\"signatures\":[{\"sig\":\"AQID-_8=\"}]}"));
        assertThat(envelope.signatures().get(0).sig()).containsExactly(1, 2, 3, 0xfb, 0xff);
        assertThat(envelope.signatures().get(0).keyId()).isEmpty();
    }

    @Test
    void refusesMalformedEnvelopesWithOneLineReasons() {
        String good = "\"payloadType\":\"t\",\"payload\":\"" + PAYLOAD_B64 + "\"";
        String sig = "\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + SIG_B64 + "\"}]";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{" + good + "," + sig + "}", null); // the control
        cases.put("not json", "not JSON");
        cases.put("{" + good + "," + sig + "}{}", "not JSON");
        cases.put("{" + good + ",\"payloadType\":\"u\"," + sig + "}", "Duplicate field 'payloadType'");
        cases.put("{\"payload\":\"" + PAYLOAD_B64 + "\"," + sig + "}", "no payloadType");
        cases.put("{\"payloadType\":\"t\",\"payload\":\"%%%\"," + sig + "}", "payload is not base64");
        cases.put("{" + good + "}", "no signatures");
        cases.put("{" + good + ",\"signatures\":[]}", "no signatures");
        cases.put("{" + good + ",\"signatures\":[{\"sig\":\"\"}]}", "empty");
        cases.put("{" + good + ",\"signatures\":[\"x\"]}", "not an object");
        cases.put("{" + good + ",\"signatures\":[{\"sig\":\"" + SIG_B64 + "\",\"keyid\":5}]}", "keyid is not a string");
        cases.put("{" + good + ",\"signatures\":[" + String.join(",", java.util.Collections.nCopies(17, "{\"sig\":\"" + SIG_B64 + "\"}")) + "]}",
                "at most 16");
        cases.forEach((text, expected) -> {
            if (expected == null) {
                assertThat(catchParse(text)).isNull();
                return;
            }
            assertThat(catchParse(text)).as(text).isNotNull().satisfies(e -> {
                assertThat(e.reason()).isEqualTo(AttestationReason.ENVELOPE_MALFORMED);
                assertThat(e.getMessage()).contains(expected).doesNotContain("\n");
            });
        });
        byte[] huge = new byte[Envelope.MAX_BYTES + 1];
        assertThatThrownBy(() -> Envelope.parse(huge)).hasMessageContaining("at most " + Envelope.MAX_BYTES);
    }

    private static AttestationException catchParse(String text) {
        try {
            Envelope.parse(bytes(text));
            return null;
        } catch (AttestationException e) {
            return e;
        }
    }
}
