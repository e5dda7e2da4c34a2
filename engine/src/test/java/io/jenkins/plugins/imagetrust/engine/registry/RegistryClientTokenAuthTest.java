package io.jenkins.plugins.imagetrust.engine.registry;

import static io.jenkins.plugins.imagetrust.engine.registry.RegistryClientRealRegistryTest.ociManifest;
import static io.jenkins.plugins.imagetrust.engine.registry.RegistryClientRealRegistryTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.MutableClock;
import io.jenkins.plugins.imagetrust.engine.testing.TokenRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real docker-registry with token auth and an in-test token server (ES256 JWT, x5c). */
class RegistryClientTokenAuthTest {
    @RegisterExtension
    static TokenRegistryFixture registry = new TokenRegistryFixture();

    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void reset() {
        registry.clearTokenRequests();
        registry.anonymousActions(Set.of());
        registry.answerWithAccessTokenField(false);
    }

    private RegistryClient client(RegistryCredentials credentials) {
        RegistryClient.Builder builder = RegistryClient.builder().listener(events::add);
        return (credentials == null ? builder : builder.credentials(credentials)).build();
    }

    private static RegistryCredentials signer() {
        return RegistryCredentials.basic(TokenRegistryFixture.USER, TokenRegistryFixture.PASSWORD.toCharArray());
    }

    private Digest pushImage(RegistryClient client, ImageReference repo, String tag) throws RegistryException {
        byte[] config = utf8("{\"os\":\"linux\",\"tag\":\"" + tag + "\"}");
        byte[] layer = utf8("layer of " + tag);
        client.pushBlob(repo, config);
        client.pushBlob(repo, layer);
        return client.pushManifest(repo, tag, ociManifest(config, layer), MediaTypes.OCI_MANIFEST);
    }

    @Test
    void pushWithBasicCredentialsGetsOneBearerTokenWithPullPushUpFront() throws Exception {
        RegistryClient client = client(signer());
        ImageReference repo = registry.reference("lab/pushed");

        Digest digest = pushImage(client, repo, "1.0");

        List<TokenRegistryFixture.TokenRequest> requests = registry.tokenRequests();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.authorizationScheme()).isEqualTo("basic");
            assertThat(request.user()).isEqualTo(TokenRegistryFixture.USER);
            assertThat(request.scopes()).containsExactly("repository:lab/pushed:pull,push");
            assertThat(request.service()).isEqualTo(TokenRegistryFixture.SERVICE);
            assertThat(request.status()).isEqualTo(200);
        });
        assertThat(client.resolve(repo.withTag("1.0")).digest()).isEqualTo(digest);
        assertThat(registry.tokenRequests()).hasSize(2).last()
                .satisfies(request -> assertThat(request.scopes()).containsExactly("repository:lab/pushed:pull"));
        assertThat(events).extracting(ProgressEvent::message)
                .noneMatch(m -> m.contains(TokenRegistryFixture.PASSWORD) || m.contains("eyJ"));
    }

    @Test
    void tokenServerNeverReceivesABearerToken() throws Exception {
        RegistryClient client = client(signer());
        ImageReference repo = registry.reference("lab/nobearer");
        pushImage(client, repo, "a");
        client.fetchManifest(repo, "a");
        client.listTags(repo);
        pushImage(client, registry.reference("lab/nobearer2"), "b");

        assertThat(registry.tokenRequests()).isNotEmpty()
                .allSatisfy(request -> assertThat(request.authorizationScheme()).isEqualTo("basic"));
    }

    @Test
    void anonymousPullIsDeniedWhenTheTokenServerGrantsNothing() throws Exception {
        pushImage(client(signer()), registry.reference("lab/private"), "1.0");
        registry.clearTokenRequests();

        assertThatThrownBy(() -> client(null).fetchManifest(registry.reference("lab/private"), "1.0"))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining(registry.host() + "/lab/private");
        assertThat(registry.tokenRequests()).singleElement()
                .satisfies(request -> assertThat(request.authorizationScheme()).isEqualTo("none"));
    }

    @Test
    void anonymousPullWorksWhenGrantedAndAccessTokenFieldIsAccepted() throws Exception {
        ImageReference repo = registry.reference("lab/public");
        Digest digest = pushImage(client(signer()), repo, "1.0");
        registry.anonymousActions(Set.of("pull"));
        registry.answerWithAccessTokenField(true);

        assertThat(client(null).resolve(repo.withTag("1.0")).digest()).isEqualTo(digest);
    }

    @Test
    void wrongPasswordIsUnauthorizedWithoutTheSecretInTheMessage() {
        RegistryClient client = client(RegistryCredentials.basic(TokenRegistryFixture.USER, "wrong-password-xyz".toCharArray()));

        assertThatThrownBy(() -> client.pushBlob(registry.reference("lab/denied"), utf8("x")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("refused the credentials")
                .hasMessageNotContaining("wrong-password-xyz");
        assertThat(registry.tokenRequests()).singleElement().satisfies(request -> assertThat(request.status()).isEqualTo(401));
    }

    @Test
    void cachedTokenIsReusedUntilItsExpiresInRunsOut() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        RegistryClient client = RegistryClient.builder().credentials(signer()).clock(clock).build();
        ImageReference repo = registry.reference("lab/expiry");
        pushImage(client, repo, "1.0");
        client.resolve(repo.withTag("1.0"));
        client.resolve(repo.withTag("1.0"));
        assertThat(registry.tokenRequests()).hasSize(2); // pull,push for the push; pull once for both resolves

        clock.advance(Duration.ofSeconds(300)); // the fixture's tokens say expires_in 300
        client.resolve(repo.withTag("1.0"));

        assertThat(registry.tokenRequests()).hasSize(3).last()
                .satisfies(request -> assertThat(request.scopes()).containsExactly("repository:lab/expiry:pull"));
    }

    @Test
    void pingAuthenticatesWithoutRepositoryScope() throws Exception {
        client(signer()).ping(registry.reference("lab/any"));

        assertThat(registry.tokenRequests()).singleElement().satisfies(request -> {
            assertThat(request.authorizationScheme()).isEqualTo("basic");
            assertThat(request.scopes()).isEmpty();
        });
    }
}
