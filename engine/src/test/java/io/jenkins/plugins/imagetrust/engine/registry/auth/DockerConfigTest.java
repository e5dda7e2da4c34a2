package io.jenkins.plugins.imagetrust.engine.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path dir;

    private Path helpers() throws Exception {
        return Files.createDirectories(dir.resolve("bin"));
    }

    private void config(String json) throws Exception {
        Files.writeString(dir.resolve("config.json"), json);
    }

    /** A docker-credential-&lt;name&gt; script: records stdin and prints {@code output} with {@code exitCode}. */
    private Path helper(String name, String output, int exitCode) throws Exception {
        Path script = helpers().resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = get ] || exit 3\n"
                + "cat > \"" + dir.resolve(name + ".stdin") + "\"\n"
                + "printf '%s' '" + output + "'\n"
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private DockerConfig load() throws Exception {
        return DockerConfig.builder(dir).helperSearchPath(List.of(helpers())).helperTimeout(Duration.ofSeconds(5)).build();
    }

    private static String secretOf(RegistryCredentials credentials) {
        return new String(credentials.secret());
    }

    private static String auth(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authsEntryWithBase64UserPassword() throws Exception {
        config("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth("alice:pa:ss") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hubuser:hubpass") + "\"}}}");
        DockerConfig config = load();

        RegistryCredentials local = config.credentialsFor("127.0.0.1:5000").orElseThrow();
        assertThat(local.kind()).isEqualTo(RegistryCredentials.Kind.BASIC);
        assertThat(local.username()).isEqualTo("alice");
        assertThat(secretOf(local)).isEqualTo("pa:ss");
        assertThat(local.toString()).doesNotContain("pa:ss");
        assertThat(config.credentialsFor("docker.io").orElseThrow().username()).isEqualTo("hubuser");
        assertThat(config.credentialsFor("127.0.0.1:5001")).isEmpty();
    }

    @Test
    void keysAreMatchedWithoutSchemeOrPath() throws Exception {
        config("{\"auths\":{\"https://Registry.Example.com/v2/\":{\"username\":\"u\",\"password\":\"p\"}}}");

        assertThat(load().credentialsFor("registry.example.com").orElseThrow().username()).isEqualTo("u");
    }

    @Test
    void identityTokenEntry() throws Exception {
        config("{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth("<token>:") + "\",\"identitytoken\":\"refresh-xyz\"}}}");

        RegistryCredentials credentials = load().credentialsFor("registry.example.com").orElseThrow();
        assertThat(credentials.kind()).isEqualTo(RegistryCredentials.Kind.IDENTITY_TOKEN);
        assertThat(secretOf(credentials)).isEqualTo("refresh-xyz");
    }

    @Test
    void credHelperForTheRegistryWinsAndGetsTheServerUrlOnStdin() throws Exception {
        helper("test", "{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}", 0);
        config("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth("file:file") + "\"}},"
                + "\"credHelpers\":{\"127.0.0.1:5000\":\"test\"}}");

        RegistryCredentials credentials = load().credentialsFor("127.0.0.1:5000").orElseThrow();

        assertThat(credentials.username()).isEqualTo("helper-user");
        assertThat(secretOf(credentials)).isEqualTo("helper-secret");
        assertThat(Files.readString(dir.resolve("test.stdin"))).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void credsStoreIsAskedWithTheDockerHubServerUrlAndTokenUserMeansIdentityToken() throws Exception {
        helper("store", "{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"<token>\",\"Secret\":\"refresh-abc\"}", 0);
        config("{\"credsStore\":\"store\",\"auths\":{\"https://index.docker.io/v1/\":{}}}");

        RegistryCredentials credentials = load().credentialsFor("docker.io").orElseThrow();

        assertThat(credentials.kind()).isEqualTo(RegistryCredentials.Kind.IDENTITY_TOKEN);
        assertThat(Files.readString(dir.resolve("store.stdin"))).isEqualTo(DockerConfig.DOCKER_HUB_SERVER_URL);
    }

    @Test
    void helperWithoutCredentialsFallsBackToAuths() throws Exception {
        helper("store", "credentials not found in native keychain", 1);
        config("{\"credsStore\":\"store\",\"auths\":{\"r.example\":{\"auth\":\"" + auth("u:p") + "\"}}}");

        assertThat(load().credentialsFor("r.example").orElseThrow().username()).isEqualTo("u");
        assertThat(load().credentialsFor("other.example")).isEmpty();
    }

    @Test
    void failingMissingOrSlowHelpersAreClearErrors() throws Exception {
        helper("broken", "something bad happened", 2);
        config("{\"credHelpers\":{\"a.example\":\"broken\",\"b.example\":\"absent\",\"c.example\":\"../evil\"}}");
        DockerConfig config = load();

        assertThatThrownBy(() -> config.credentialsFor("a.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("docker-credential-broken failed with exit code 2: something bad happened");
        assertThatThrownBy(() -> config.credentialsFor("b.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("docker-credential-absent not found");
        assertThatThrownBy(() -> config.credentialsFor("c.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("not a valid credential helper name");

        Path slow = helpers().resolve("docker-credential-slow");
        Files.writeString(slow, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));
        config("{\"credHelpers\":{\"d.example\":\"slow\"}}");
        DockerConfig slowConfig = DockerConfig.builder(dir).helperSearchPath(List.of(helpers()))
                .helperTimeout(Duration.ofMillis(500)).build();
        long started = System.nanoTime();
        assertThatThrownBy(() -> slowConfig.credentialsFor("d.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("did not answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void missingFileIsAnonymousAndMalformedFileIsAnErrorWithoutItsContent() throws Exception {
        assertThat(DockerConfig.load(dir).credentialsFor("r.example")).isEqualTo(Optional.empty());

        config("{\"auths\":{\"r.example\":{\"auth\":\"c2VjcmV0LXZhbHVl\"} oops");
        assertThatThrownBy(() -> DockerConfig.load(dir)).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("config.json").hasMessageNotContaining("c2VjcmV0LXZhbHVl");

        config("{\"auths\":{\"r.example\":{\"auth\":\"not base64!!\"}}}");
        assertThatThrownBy(() -> load().credentialsFor("r.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("not valid base64");
        config("{\"auths\":{\"r.example\":{\"auth\":\"" + auth("no-colon") + "\"}}}");
        assertThatThrownBy(() -> load().credentialsFor("r.example")).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("not base64 of user:password");
    }

    @Test
    void explicitProvidersAndClearing() throws Exception {
        char[] password = "pw".toCharArray();
        RegistryCredentials explicit = RegistryCredentials.basic("bob", password);
        password[0] = 'X'; // the caller's array is copied

        RegistryCredentials handed = explicit.credentialsFor("any.example").orElseThrow();
        assertThat(secretOf(handed)).isEqualTo("pw");
        assertThat(explicit.basicAuthorization()).isEqualTo("Basic " + auth("bob:pw"));
        handed.close();
        assertThat(secretOf(handed)).isEqualTo("\0\0");
        assertThat(secretOf(explicit)).isEqualTo("pw");

        RegistryCredentialsProvider scoped = RegistryCredentialsProvider.forRegistry("only.example", explicit);
        assertThat(scoped.credentialsFor("only.example")).isPresent();
        assertThat(scoped.credentialsFor("elsewhere.example")).isEmpty();
        assertThat(scoped.orElse(RegistryCredentials.basic("fallback", new char[] {'f'}))
                .credentialsFor("elsewhere.example").orElseThrow().username()).isEqualTo("fallback");
        assertThat(RegistryCredentialsProvider.anonymous().credentialsFor("x")).isEmpty();
        assertThatThrownBy(() -> RegistryCredentials.basic("a:b", new char[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
