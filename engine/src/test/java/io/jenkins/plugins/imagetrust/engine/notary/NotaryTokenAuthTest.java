package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TokenRegistryFixture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real notary-server with docker's token auth, trusting the token server of a real token-auth docker-registry:
 * our client answers its Bearer challenge with the registry credentials, as docker does.
 */
class NotaryTokenAuthTest {
    @RegisterExtension
    @Order(1)
    static TokenRegistryFixture registryFixture = new TokenRegistryFixture();
    @RegisterExtension
    @Order(2) // the Notary server's configuration names the token server
    static NotaryFixture notary = new NotaryFixture() {
        @Override
        protected String extraServerConfig() {
            return "  \"auth\": {\"type\": \"token\", \"options\": {\"realm\": \"" + registryFixture.realm() + "\", \"service\": \""
                    + TokenRegistryFixture.SERVICE + "\", \"issuer\": \"" + TokenRegistryFixture.ISSUER + "\", \"rootcertbundle\": \""
                    + registryFixture.workDir().resolve("token-root.pem") + "\"}},\n";
        }
    };

    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"token\":true}".getBytes(StandardCharsets.UTF_8);

    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    private NotaryServer.Builder options() {
        return NotaryServer.builder(notary.url()).caPem(notary.caPem()).rootSigner(rootKey);
    }

    @Test
    void publishesAndVerifiesWithATokenFromTheRegistryTokenServer() throws Exception {
        String gun = registryFixture.host() + "/token/app";
        RegistryClient registry = RegistryClient.builder()
                .credentials(RegistryCredentials.basic(TokenRegistryFixture.USER, TokenRegistryFixture.PASSWORD.toCharArray())).build();
        NotaryServer withLogin = options().registryAuth(registry).build();
        registryFixture.clearTokenRequests();

        PublishResult published = withLogin.publisher(ProgressListener.NONE)
                .publish(new PublishRequest(gun, "v1", Digest.sha256(MANIFEST), MANIFEST.length, targetsKey, rootKey));

        assertThat(published.resolution().digest()).isEqualTo(Digest.sha256(MANIFEST));
        assertThat(registryFixture.tokenRequests()).isNotEmpty()
                .allSatisfy(request -> assertThat(request.authorizationScheme()).isEqualTo("basic"))
                .anySatisfy(request -> assertThat(request.scopes()).containsExactly("repository:" + gun + ":push,pull"))
                .anySatisfy(request -> assertThat(request.scopes()).containsExactly("repository:" + gun + ":pull"));
        assertThat(withLogin.verifier(ProgressListener.NONE).verify(gun).resolve("v1").digest()).isEqualTo(Digest.sha256(MANIFEST));

        NotaryServerException anonymous = (NotaryServerException) org.assertj.core.api.Assertions.catchThrowable(
                () -> options().build().verifier(ProgressListener.NONE).verify(gun));
        assertThat(anonymous).isNotNull();
        assertThat(anonymous.getMessage()).contains("401");
        assertThat(anonymous.getMessage()).doesNotContain(TokenRegistryFixture.PASSWORD);
    }

    @Test
    void aTokenWithoutTheNeededActionsIsRefusedWithTheServersAnswer() throws Exception {
        String gun = registryFixture.host() + "/token/anonymous";
        NotaryServer anonymousTokens = options().registryAuth(RegistryClient.builder().build()).build();
        assertThatThrownBy(() -> anonymousTokens.publisher(ProgressListener.NONE)
                .publish(new PublishRequest(gun, "v1", Digest.sha256(MANIFEST), MANIFEST.length, targetsKey, rootKey)))
                .isInstanceOf(NotaryServerException.class).hasMessageContaining("401");
    }
}
