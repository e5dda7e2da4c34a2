package io.jenkins.plugins.imagetrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.testing.NotaryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.RegistryFixture;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code image-trust notary …} in-process against a real docker-registry and a real notary-server + notary-signer. */
class CliNotaryTest {
    @RegisterExtension
    static final RegistryFixture REGISTRY = new RegistryFixture();
    @RegisterExtension
    static final NotaryFixture NOTARY = new NotaryFixture();

    private static final String PASSPHRASE = "targets passphrase";
    private static final String ROOT_PASSPHRASE = "root passphrase";

    @TempDir
    Path dir;

    private final RegistryClient registry = RegistryClient.builder().build();

    private CliRun run(String... args) {
        return CliRun.run(Map.of(Passwords.ENV, PASSPHRASE, NotaryCommand.ROOT_PASSWORD_ENV, ROOT_PASSPHRASE), "", args);
    }

    private Path key(String name, String passphrase) {
        CliRun generated = CliRun.run(Map.of(Passwords.ENV, passphrase), "", "generate-key-pair", "--output-key-prefix", dir.resolve(name).toString());
        assertThat(generated.exitCode).as(generated.toString()).isZero();
        return dir.resolve(name);
    }

    @Test
    void publishVerifyAndMigrate() throws Exception {
        Path targets = key("targets", PASSPHRASE);
        Path root = key("root", ROOT_PASSPHRASE);
        ImageReference v1 = REGISTRY.reference("cli/dct:v1");
        ImageReference unsigned = REGISTRY.reference("cli/dct:unsigned");
        Digest digest = TestImages.push(registry, v1);
        TestImages.push(registry, unsigned);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();

        CliRun published = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key", v1.toString());
        assertThat(published.exitCode).as(published.toString()).isZero();
        assertThat(published.out.strip()).isEqualTo(v1 + "@" + digest);
        assertThat(published.err).doesNotContain(PASSPHRASE).doesNotContain(ROOT_PASSPHRASE);

        CliRun verified = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", v1.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out.strip()).isEqualTo(v1 + "@" + digest);

        CliRun notSigned = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", unsigned.toString(), v1.toString());
        assertThat(notSigned.exitCode).as(notSigned.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(notSigned.err).contains("not trusted: " + unsigned);
        assertThat(notSigned.out.strip()).isEqualTo(v1 + "@" + digest);

        CliRun wrongRoot = run("notary", "verify", "--server", server, "--ca", ca, "--root", targets + ".pub", v1.toString());
        assertThat(wrongRoot.exitCode).as(wrongRoot.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(wrongRoot.err).contains("pinned root key");

        CliRun noCa = run("notary", "verify", "--server", server, "--tofu", v1.toString());
        assertThat(noCa.exitCode).as(noCa.toString()).isEqualTo(ExitCodes.ERROR);

        CliRun noPin = run("notary", "verify", "--server", server, "--ca", ca, v1.toString());
        assertThat(noPin.exitCode).as(noPin.toString()).isEqualTo(ExitCodes.USAGE);

        Path cosign = key("cosign", PASSPHRASE);
        CliRun migrated = run("notary", "migrate", "--server", server, "--ca", ca, "--tofu", "--key", cosign + ".key", v1.repositoryOnly().toString());
        assertThat(migrated.exitCode).as(migrated.toString()).isZero();
        assertThat(migrated.out.strip()).isEqualTo("v1 " + digest + " MIGRATED " + digest.signatureTag());
        CliRun cosignVerified = run("verify", "--key", cosign + ".pub", v1.toString());
        assertThat(cosignVerified.exitCode).as(cosignVerified.toString()).isZero();
        CliRun again = run("notary", "migrate", "--server", server, "--ca", ca, "--root", root + ".pub", "--key", cosign + ".key", v1.repositoryOnly().toString());
        assertThat(again.out).contains("v1 " + digest + " ALREADY_SIGNED");
    }

    @Test
    void revokeATagAndRotateTheTargetsKey() throws Exception {
        Path targets = key("targets", PASSPHRASE);
        Path root = key("root", ROOT_PASSPHRASE);
        Path newTargets = key("new-targets", PASSPHRASE);
        ImageReference v1 = REGISTRY.reference("cli/dct-maintained:v1");
        ImageReference v2 = REGISTRY.reference("cli/dct-maintained:v2");
        Digest digest1 = TestImages.push(registry, v1);
        Digest digest2 = TestImages.push(registry, v2);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();
        CliRun published = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key",
                v1.toString(), v2.toString());
        assertThat(published.exitCode).as(published.toString()).isZero();

        CliRun revoked = run("notary", "revoke", "--server", server, "--ca", ca, "--key", targets + ".key", "--root", root + ".pub", v1.toString());
        assertThat(revoked.exitCode).as(revoked.toString()).isZero();
        assertThat(revoked.out.strip()).isEqualTo(v1 + " REVOKED targets v3");
        CliRun verified = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", v1.toString(), v2.toString());
        assertThat(verified.exitCode).as(verified.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(verified.err).contains("not trusted: " + v1);
        assertThat(verified.out.strip()).isEqualTo(v2 + "@" + digest2);
        CliRun revokedAgain = run("notary", "revoke", "--server", server, "--ca", ca, "--key", targets + ".key", "--root", root + ".pub", v1.toString());
        assertThat(revokedAgain.exitCode).as(revokedAgain.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(revokedAgain.err).contains("is not signed in targets").contains("nothing was revoked");

        CliRun withoutRootKey = run("notary", "rotate-key", "--server", server, "--ca", ca, "--new-key", newTargets + ".key", v1.repositoryOnly().toString());
        assertThat(withoutRootKey.exitCode).as(withoutRootKey.toString()).isEqualTo(ExitCodes.USAGE);
        CliRun rotated = run("notary", "rotate-key", "--server", server, "--ca", ca, "--root-key", root + ".key", "--new-key", newTargets + ".key",
                v1.repositoryOnly().toString());
        assertThat(rotated.exitCode).as(rotated.toString()).isZero();
        assertThat(rotated.out.strip()).startsWith(v1.repositoryOnly() + " targets ").endsWith(" root v2 targets v4");
        assertThat(rotated.err).doesNotContain(PASSPHRASE).doesNotContain(ROOT_PASSPHRASE);

        CliRun oldKey = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root", root + ".pub", v1.toString());
        assertThat(oldKey.exitCode).as(oldKey.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(oldKey.err).contains("is not a targets key");
        CliRun newKey = run("notary", "publish", "--server", server, "--ca", ca, "--key", newTargets + ".key", "--root", root + ".pub", v1.toString());
        assertThat(newKey.exitCode).as(newKey.toString()).isZero();
        assertThat(newKey.out.strip()).isEqualTo(v1 + "@" + digest1);

        CliRun noDelegation = run("notary", "rotate-key", "--server", server, "--ca", ca, "--role", "targets/releases", "--key", newTargets + ".key",
                "--root", root + ".pub", "--new-key", targets + ".key", v1.repositoryOnly().toString());
        assertThat(noDelegation.exitCode).as(noDelegation.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(noDelegation.err).contains("delegates no role targets/releases");
    }

    @Test
    void rotateTheRootKey() throws Exception {
        Path targets = key("targets", PASSPHRASE);
        Path root = key("root", ROOT_PASSPHRASE);
        Path newRoot = key("new-root", ROOT_PASSPHRASE);
        ImageReference v1 = REGISTRY.reference("cli/dct-rerooted:v1");
        Digest digest = TestImages.push(registry, v1);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();
        CliRun published = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key", v1.toString());
        assertThat(published.exitCode).as(published.toString()).isZero();

        CliRun withoutRootKey = run("notary", "rotate-key", "--server", server, "--ca", ca, "--role", "root", "--new-key", newRoot + ".key",
                v1.repositoryOnly().toString());
        assertThat(withoutRootKey.exitCode).as(withoutRootKey.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(withoutRootKey.err).contains("rotating the root key needs --root-key");
        CliRun rotated = CliRun.run(Map.of(Passwords.ENV, PASSPHRASE, NotaryCommand.ROOT_PASSWORD_ENV, ROOT_PASSPHRASE,
                NotaryCommand.NEW_KEY_PASSWORD_ENV, ROOT_PASSPHRASE), "", "notary", "rotate-key", "--server", server, "--ca", ca, "--role", "root",
                "--root-key", root + ".key", "--new-key", newRoot + ".key", v1.repositoryOnly().toString());
        assertThat(rotated.exitCode).as(rotated.toString()).isZero();
        assertThat(rotated.out.strip()).startsWith(v1.repositoryOnly() + " root ").endsWith(" root v2 targets v1");
        assertThat(rotated.err).doesNotContain(PASSPHRASE).doesNotContain(ROOT_PASSPHRASE);

        CliRun oldPin = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", v1.toString());
        assertThat(oldPin.exitCode).as(oldPin.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(oldPin.err).contains("pinned root key");
        CliRun newPin = run("notary", "verify", "--server", server, "--ca", ca, "--root", newRoot + ".pub", v1.toString());
        assertThat(newPin.exitCode).as(newPin.toString()).isZero();
        assertThat(newPin.out.strip()).isEqualTo(v1 + "@" + digest);
    }

    @Test
    void addASignerWhoseKeySignsIntoItsOwnRole() throws Exception {
        Path targets = key("targets", PASSPHRASE);
        Path root = key("root", ROOT_PASSPHRASE);
        Path alice = key("alice", PASSPHRASE);
        ImageReference base = REGISTRY.reference("cli/dct-signers:base");
        ImageReference v1 = REGISTRY.reference("cli/dct-signers:v1");
        TestImages.push(registry, base);
        Digest digest = TestImages.push(registry, v1);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();
        CliRun published = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key", base.toString());
        assertThat(published.exitCode).as(published.toString()).isZero();

        CliRun reserved = run("notary", "add-signer", "--server", server, "--ca", ca, "--key", targets + ".key", "--root", root + ".pub",
                "--signer-key", alice + ".pub", "releases", v1.repositoryOnly().toString());
        assertThat(reserved.exitCode).as(reserved.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(reserved.err).contains("releases is reserved");
        CliRun added = run("notary", "add-signer", "--server", server, "--ca", ca, "--key", targets + ".key", "--root", root + ".pub",
                "--signer-key", alice + ".pub", "alice", v1.repositoryOnly().toString());
        assertThat(added.exitCode).as(added.toString()).isZero();
        assertThat(added.out.strip()).matches(java.util.regex.Pattern.quote(v1.repositoryOnly() + " targets/alice ") + "[0-9a-f]{64}");

        CliRun signed = run("notary", "publish", "--server", server, "--ca", ca, "--key", alice + ".key", "--root", root + ".pub", v1.toString());
        assertThat(signed.exitCode).as(signed.toString()).isZero();
        CliRun verified = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", v1.toString());
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out.strip()).isEqualTo(v1 + "@" + digest);
        assertThat(verified.err).contains("resolves through targets/releases; signed by targets/releases, targets/alice");
    }

    @Test
    void aDigestTheTagDoesNotNameIsSaidAndAnotherRepositorysRootIsNamedSo() throws Exception {
        Path targets = key("t2", PASSPHRASE);
        Path root = key("r2", ROOT_PASSPHRASE);
        ImageReference first = REGISTRY.reference("cli/dct-a:v1");
        ImageReference second = REGISTRY.reference("cli/dct-b:v1");
        Digest older = TestImages.push(registry, first);
        Digest newer = TestImages.push(registry, first); // the tag now names newer
        TestImages.push(registry, second);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();

        String pinned = first.repositoryOnly() + ":v1@" + older;
        CliRun published = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key", pinned);
        assertThat(published.exitCode).as(published.toString()).isZero();
        assertThat(published.out.strip()).isEqualTo(pinned);
        assertThat(published.err).contains("WARNING: " + first + " names " + newer + " at the registry, not " + older)
                .contains("signing v1 to " + older + " as given");
        assertThat(run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key",
                second.toString()).exitCode).isZero();

        Path trustDir = dir.resolve("trust");
        assertThat(run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", "--trust-dir", trustDir.toString(),
                first.toString()).exitCode).isZero();
        Path firstRoot;
        try (var files = Files.walk(trustDir)) {
            firstRoot = files.filter(file -> file.getFileName().toString().equals("root.json")).findFirst().orElseThrow();
        }
        CliRun otherRepository = run("notary", "verify", "--server", server, "--ca", ca, "--root", firstRoot.toString(), second.toString());
        assertThat(otherRepository.exitCode).as(otherRepository.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(otherRepository.err).contains("belongs to a different repository").contains(first.repositoryOnly().toString());
    }

    /**
     * The targets key is decrypted in the background while the command fetches; a wrong passphrase must still fail
     * every image before anything is published, with the key file named, and the tag stays unsigned.
     */
    @Test
    void aWrongPassphraseFailsBeforeAnythingIsPublished() throws Exception {
        Path targets = key("wrong-pass-targets", PASSPHRASE);
        Path root = key("wrong-pass-root", ROOT_PASSPHRASE);
        ImageReference first = REGISTRY.reference("cli/dct-wrong-passphrase:v1");
        ImageReference second = REGISTRY.reference("cli/dct-wrong-passphrase:v2");
        Digest digest = TestImages.push(registry, first);
        TestImages.push(registry, second);
        String server = NOTARY.url();
        String ca = NOTARY.caFile().toString();
        CliRun initialised = run("notary", "publish", "--server", server, "--ca", ca, "--key", targets + ".key", "--root-key", root + ".key",
                first.toString());
        assertThat(initialised.exitCode).as(initialised.toString()).isZero();

        CliRun wrong = CliRun.run(Map.of(Passwords.ENV, "not the passphrase"), "", "notary", "publish", "--server", server, "--ca", ca,
                "--root", root + ".pub", "--key", targets + ".key", second.toString(), first.toString());
        assertThat(wrong.exitCode).as(wrong.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(wrong.out).isEmpty();
        assertThat(wrong.err).contains("image-trust: error: " + second + ": " + targets + ".key: bad passphrase or corrupted key")
                .contains("image-trust: error: " + first + ": " + targets + ".key: bad passphrase or corrupted key")
                .doesNotContain("not the passphrase");

        CliRun verified = run("notary", "verify", "--server", server, "--ca", ca, "--root", root + ".pub", second.toString(), first.toString());
        assertThat(verified.exitCode).as(verified.toString()).isEqualTo(ExitCodes.NOT_TRUSTED);
        assertThat(verified.err).contains("not trusted: " + second);
        assertThat(verified.out.strip()).isEqualTo(first + "@" + digest);
    }
}
