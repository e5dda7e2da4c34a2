package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.keys.PrivateKeys;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.testing.TokenRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command, in-process and verbose, against the real token-auth registry with a password on standard input and
 * an encrypted key: nothing it prints (stdout and stderr, successes and the failures of wrong secrets) holds the
 * passphrase, the registry password or the private key in any encoding.
 */
class CliSecretTest {
    @RegisterExtension
    static final TokenRegistryFixture REGISTRY = new TokenRegistryFixture();

    private static final String PASSPHRASE = "cli-Passphrase-9xQ!";
    private static final String WRONG_PASSPHRASE = "cli-Passphrase-9xQ?";
    private static final String WRONG_PASSWORD = "wrong horse battery staple";

    @TempDir
    Path dir;

    @Test
    void nothingPrintedHoldsASecret() throws Exception {
        Map<String, String> env = Map.of(Passwords.ENV, PASSPHRASE);
        String prefix = dir.resolve("release").toString();
        List<CliRun> runs = new ArrayList<>();
        CliRun generated = CliRun.run(env, "", "generate-key-pair", "--output-key-prefix", prefix);
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        runs.add(generated);

        ImageReference image = REGISTRY.reference("cli-secrets/app:1");
        try (RegistryCredentials credentials = RegistryCredentials.basic(TokenRegistryFixture.USER, TokenRegistryFixture.PASSWORD.toCharArray())) {
            TestImages.push(RegistryClient.builder().credentials(credentials).build(), image);
        }
        String user = TokenRegistryFixture.USER;
        String password = TokenRegistryFixture.PASSWORD + "\n";
        CliRun signed = CliRun.run(env, password, "sign", "-v", "--username", user, "--password-stdin", "--key", prefix + ".key",
                "-a", "build=1", image.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        CliRun verified = CliRun.run(env, password, "verify", "-v", "-o", "json", "--username", user, "--password-stdin", "--key",
                prefix + ".pub", image.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        CliRun wrongPassword = CliRun.run(env, WRONG_PASSWORD + "\n", "verify", "-v", "--username", user, "--password-stdin", "--key",
                prefix + ".pub", image.toString());
        assertThat(wrongPassword.exitCode).as(wrongPassword.toString()).isNotZero();
        CliRun wrongPassphrase = CliRun.run(Map.of(Passwords.ENV, WRONG_PASSPHRASE), password, "sign", "-v", "--username", user,
                "--password-stdin", "--key", prefix + ".key", image.toString());
        assertThat(wrongPassphrase.exitCode).as(wrongPassphrase.toString()).isNotZero();
        assertThat(wrongPassphrase.err).contains("bad passphrase or corrupted key");
        runs.addAll(List.of(signed, verified, wrongPassword, wrongPassphrase));

        byte[] pem = Files.readAllBytes(Path.of(prefix + ".key"));
        byte[] der = PrivateKeys.load(pem, PASSPHRASE.toCharArray()).getPrivate().getEncoded();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("passphrase", PASSPHRASE);
        secrets.put("wrong passphrase", WRONG_PASSPHRASE);
        secrets.put("registry password", TokenRegistryFixture.PASSWORD);
        secrets.put("wrong registry password", WRONG_PASSWORD);
        secrets.put("base64 of the private key DER", Base64.getEncoder().encodeToString(der));
        secrets.put("hex of the private key DER", HexFormat.of().formatHex(der));
        List<String> body = new String(pem, StandardCharsets.US_ASCII).lines().filter(l -> !l.startsWith("-----") && l.length() >= 16).toList();
        for (int i = 0; i < body.size(); i++) {
            secrets.put("key file body line " + i, body.get(i));
        }
        String printed = runs.stream().map(CliRun::toString).reduce("", String::concat);
        assertThat(printed).contains("GET http://" + REGISTRY.host()); // verbose: every request was printed
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertThat(printed.contains(secret.getValue())).as("the command printed the " + secret.getKey()).isFalse();
        }
    }
}
