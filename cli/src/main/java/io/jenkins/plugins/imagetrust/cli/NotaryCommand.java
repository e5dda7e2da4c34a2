package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.http.CappedRead;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryServer;
import io.jenkins.plugins.imagetrust.engine.notary.RootPin;
import io.jenkins.plugins.imagetrust.engine.notary.TufVerifier;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code image-trust notary}: Docker Content Trust (Notary v1): publish tags, verify them, migrate them to cosign; each verb is
 * its own {@code Notary*Command}. Holds what they share: where the server is and how its root is trusted.
 */
@Command(name = "notary", description = {"Docker Content Trust (Notary v1): sign tags into a Notary server, resolve them through",
        "verified TUF metadata, and migrate signed tags to cosign signatures. See docs/notary.md."},
        subcommands = {NotaryPublishCommand.class, NotaryVerifyCommand.class, NotaryMigrateCommand.class, NotaryRevokeCommand.class,
                NotaryRotateKeyCommand.class, NotaryAddSignerCommand.class})
final class NotaryCommand implements Runnable {
    /** The root key's own passphrase; without it the one for --key is used. */
    static final String ROOT_PASSWORD_ENV = "IMAGE_TRUST_ROOT_PASSWORD";
    /** The new key's own passphrase ({@code rotate-key --new-key}); without it the one for --key is used. */
    static final String NEW_KEY_PASSWORD_ENV = "IMAGE_TRUST_NEW_KEY_PASSWORD";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a notary command is required: publish, verify, migrate, revoke, rotate-key or add-signer");
    }

    /** Where the Notary server is and how its trust data is anchored. */
    static final class ServerOptions {
        @Option(names = "--server", required = true, paramLabel = "URL", description = "The Notary server, https://host[:port].")
        String server;

        @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate(s) for the Notary server's TLS certificate. Default: the JVM trust store.")
        Path ca;

        @Option(names = "--trust-dir", paramLabel = "DIR",
                description = "Keep trusted roots and last-seen versions here between runs (rollback protection; a root cached here is trusted).")
        Path trustDir;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Timeout of each Notary request (default 30).")
        int timeoutSeconds;

        /** The server, still to configure; {@code registry}'s credentials answer the server's token auth, as docker's login does. */
        NotaryServer.Builder builder(RegistryClient registry) throws Exception {
            NotaryServer.Builder builder = NotaryServer.builder(server).requestTimeout(Duration.ofSeconds(timeoutSeconds)).trustCacheDirectory(trustDir)
                    .registryAuth(registry);
            if (ca != null) {
                builder.caPem(new String(CappedRead.file(ca, PublicKeys.MAX_PEM_BYTES, "--ca"), StandardCharsets.US_ASCII));
            }
            return builder;
        }
    }

    /** How the first root is trusted when verifying: a pinned file, or trust on first use asked for by name. */
    static final class RootTrust {
        @Option(names = "--root", paramLabel = "FILE",
                description = "Pin the repository's root: its root.json, or the root key's PEM certificate or public key.")
        Path root;

        @Option(names = "--tofu", description = "Trust whatever root the server offers first, as docker does (weaker: pin with --root, or keep --trust-dir).")
        boolean tofu;

        static RootPin pin(RootTrust trust) throws Exception {
            if (trust == null) {
                return null;
            }
            if (trust.tofu) {
                return RootPin.trustOnFirstUse();
            }
            byte[] bytes = CappedRead.file(trust.root, TufVerifier.Limits.DEFAULT.rootBytes(), "--root");
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                return text.startsWith("{") ? RootPin.rootFile(bytes) : RootPin.rootKey(text);
            } catch (IllegalArgumentException e) {
                throw new CliUsageException("--root " + trust.root + ": " + e.getMessage());
            }
        }
    }


    /** The root key given with {@code --root-key} (opened in the background, as the other keys), or null without it. */
    static Signer openRootKey(CliContext context, String rootKey) throws Exception {
        return rootKey == null ? null : Signers.openInBackground(context, rootKey, ROOT_PASSWORD_ENV);
    }

    /** The server with the root key (may be null) and the explicit root pin, if any. */
    static NotaryServer serverWithRoot(ServerOptions server, RegistryClient registry, Signer root, RootTrust rootTrust) throws Exception {
        NotaryServer.Builder builder = server.builder(registry).rootSigner(root);
        RootPin pin = RootTrust.pin(rootTrust);
        if (pin != null) {
            builder.rootPin(pin);
        }
        return builder.build();
    }

    /** The tag of {@code image}: Docker Content Trust signs tags. */
    static String tagOf(ImageReference image, String text) {
        return image.tag().orElseThrow(() -> new IllegalArgumentException("Docker Content Trust signs tags; " + text + " has none"));
    }
}
