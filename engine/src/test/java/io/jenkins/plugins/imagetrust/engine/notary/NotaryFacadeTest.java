package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.NotaryVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SigningException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import io.jenkins.plugins.imagetrust.engine.testing.ScriptedHttpServer;
import org.junit.jupiter.api.Test;

/** The Notary options of the facades: what is refused before any request, and how the root is anchored. */
class NotaryFacadeTest {
    private static final ImageReference BY_DIGEST = ImageReference.parse(
            "127.0.0.1:5000/lab/app@sha256:" + "a".repeat(64));

    @Test
    void gunIsRegistryAndRepositoryAsDockerNamesIt() {
        assertThat(NotaryServer.gun(ImageReference.parse("127.0.0.1:5000/lab/app:1"))).isEqualTo("127.0.0.1:5000/lab/app");
        assertThat(NotaryServer.gun(ImageReference.parse("alpine:3"))).isEqualTo("docker.io/library/alpine");
    }

    @Test
    void aPlainHttpServerOffLoopbackIsRefusedWhenTheOptionsAreBuilt() {
        assertThatThrownBy(() -> NotaryServer.builder("http://notary.example.com").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signingADigestReferenceIntoNotaryIsRefusedBeforeAnythingIsSigned() {
        Signer key = TestSigners.ecdsa();
        // A registry URL nothing listens on: the refusal must come before any request.
        ImageSigner signer = ImageSigner.builder().registry(RegistryClient.builder().build()).signer(key)
                .notary(NotaryServer.builder("https://127.0.0.1:1").rootSigner(TestSigners.ecdsa()).build()).build();
        assertThatThrownBy(() -> signer.sign(SignRequest.builder(BY_DIGEST).build()))
                .isInstanceOf(SigningException.class).hasMessageContaining("Docker Content Trust signs tags");
    }

    @Test
    void verifyingADigestReferenceThroughNotaryIsRefused() {
        NotaryVerifier verifier = NotaryVerifier.builder().notary(NotaryServer.builder("https://127.0.0.1:1").rootPin(RootPin.trustOnFirstUse()).build()).build();
        assertThatThrownBy(() -> verifier.verify(BY_DIGEST)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has none");
    }

    @Test
    void theRootIsAnchoredByThePinElseTheRootKeyElseOnlyByTheCache() {
        Signer root = TestSigners.ecdsa();
        assertThat(NotaryServer.builder("https://127.0.0.1:1").rootPin(RootPin.trustOnFirstUse()).rootSigner(root).build().effectiveRootPin())
                .hasToString("RootPin[trust on first use]");
        assertThat(NotaryServer.builder("https://127.0.0.1:1").rootSigner(root).build().effectiveRootPin()).hasToString("RootPin[EC root key]");
        assertThat(NotaryServer.builder("https://127.0.0.1:1").build().effectiveRootPin()).hasToString("RootPin[cached root only]");
    }

    @Test
    void withoutAPinAnUnknownRepositoryIsRefusedNotTrustedOnFirstUse() throws Exception {
        byte[] realRoot = InteropFixtures.bytes("notary/root.json");
        try (ScriptedHttpServer server = ScriptedHttpServer.start((request, exchange) -> exchange.respond(200, realRoot))) {
            NotaryVerifier verifier = NotaryVerifier.builder().notary(NotaryServer.builder("http://" + server.hostPort()).build()).build();
            assertThatThrownBy(() -> verifier.verify(ImageReference.parse("127.0.0.1:5001/lab/hello:signed")))
                    .isInstanceOf(UntrustedRootException.class).hasMessageContaining("no trusted root is pinned or cached");
            assertThat(server.requests()).extracting(ScriptedHttpServer.Request::path).containsExactly("/v2/127.0.0.1:5001/lab/hello/_trust/tuf/root.json");
        }
    }
}
