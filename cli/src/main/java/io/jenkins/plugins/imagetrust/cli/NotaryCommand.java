package io.jenkins.plugins.imagetrust.cli;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.NotaryVerification;
import io.jenkins.plugins.imagetrust.engine.NotaryVerifier;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.KeyRotationResult;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryMigration;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryOptions;
import io.jenkins.plugins.imagetrust.engine.notary.PublishRequest;
import io.jenkins.plugins.imagetrust.engine.notary.PublishResult;
import io.jenkins.plugins.imagetrust.engine.notary.RevokeResult;
import io.jenkins.plugins.imagetrust.engine.notary.RootPin;
import io.jenkins.plugins.imagetrust.engine.notary.TargetNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.TargetResolution;
import io.jenkins.plugins.imagetrust.engine.notary.TufException;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-trust notary}: Docker Content Trust (Notary v1): publish tags, verify them, migrate them to cosign. */
@Command(name = "notary", description = {"Docker Content Trust (Notary v1): sign tags into a Notary server, resolve them through",
        "verified TUF metadata, and migrate signed tags to cosign signatures. See docs/notary.md."},
        subcommands = {NotaryCommand.Publish.class, NotaryCommand.Verify.class, NotaryCommand.Migrate.class, NotaryCommand.Revoke.class,
                NotaryCommand.RotateKey.class, NotaryCommand.AddSigner.class})
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

        /** The options; {@code registry}'s credentials answer the server's token auth, as docker's login does. */
        NotaryOptions.Builder options(RegistryClient registry) throws Exception {
            NotaryOptions.Builder builder = NotaryOptions.builder(server).requestTimeout(Duration.ofSeconds(timeoutSeconds)).trustCacheDirectory(trustDir)
                    .registryAuth(registry);
            if (ca != null) {
                builder.caPem(Files.readString(ca, StandardCharsets.US_ASCII));
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
            byte[] bytes = Files.readAllBytes(trust.root);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                return text.startsWith("{") ? RootPin.rootFile(bytes) : RootPin.rootKey(text);
            } catch (IllegalArgumentException e) {
                throw new CliUsageException("--root " + trust.root + ": " + e.getMessage());
            }
        }
    }


    /** The server's options with the root key (may be null) and the explicit root pin, if any. */
    static NotaryOptions optionsWithRoot(ServerOptions server, RegistryClient registry, Signer root, RootTrust rootTrust) throws Exception {
        NotaryOptions.Builder builder = server.options(registry).rootSigner(root);
        RootPin pin = RootTrust.pin(rootTrust);
        if (pin != null) {
            builder.rootPin(pin);
        }
        return builder.build();
    }

    /** The exit code of a Notary failure: the tag is not trusted (3), or nothing could be decided (1). */
    /** The tag of {@code image}: Docker Content Trust signs tags. */
    static String tagOf(ImageReference image, String text) {
        return image.tag().orElseThrow(() -> new IllegalArgumentException("Docker Content Trust signs tags; " + text + " has none"));
    }

    static int exitCodeOf(NotaryException e) {
        return e instanceof TufException || e instanceof TargetNotFoundException || e instanceof MetadataNotFoundException
                ? ExitCodes.NOT_TRUSTED : ExitCodes.ERROR;
    }

    /** {@code image-trust notary publish}. */
    @Command(name = "publish", description = {"Sign each IMAGE's tag into its repository's Notary trust data (tag -> manifest digest and size),",
            "like DOCKER_CONTENT_TRUST=1 docker push. Prints IMAGE:TAG@DIGEST. No cosign signature is written."})
    static final class Publish extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
                description = "The targets key (or a targets/releases key). Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
        String key;

        @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
                description = "The root key: needed to initialise a repository; when given, the existing root must list it. Passphrase from "
                        + ROOT_PASSWORD_ENV + ", else as for --key.")
        String rootKey;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        RootTrust rootTrust;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
        List<String> images;

        @Override
        public Integer call() throws Exception {
            RegistryClient registry = common.registry(context);
            try (Signer targets = Signers.openInBackground(context, key, null); Signer root = rootKey == null ? null : Signers.openInBackground(context, rootKey, ROOT_PASSWORD_ENV)) {
                NotaryOptions options = optionsWithRoot(server, registry, root, rootTrust);
                return ImageBatch.run(context, images, common.quiet, text -> {
                    Signers.failIfFailed(targets); // a wrong passphrase: no more requests for the images after the first
                    Signers.failIfFailed(root);
                    ImageReference image = ImageReference.parse(text);
                    String tag = tagOf(image, text);
                    Manifest manifest = registry.fetchManifest(image.repositoryOnly(), image.digest().map(Object::toString).orElse(tag))
                            .orElseThrow(() -> new IllegalArgumentException("the registry has no " + text));
                    if (image.digest().isPresent()) {
                        noteWhereTheTagPoints(registry, common.listener(context), image, tag);
                    }
                    PublishResult result = options.publisher(common.listener(context)).publish(
                            new PublishRequest(NotaryOptions.gun(image), tag, manifest.digest(), manifest.size(), targets, root));
                    context.out().println(image.repositoryOnly().withTag(tag).withDigest(result.resolution().digest()));
                    return ExitCodes.OK;
                });
            }
        }
    }

    /**
     * {@code IMAGE:TAG@DIGEST} signs TAG to DIGEST as given, whatever the registry's tag names: said on stderr when
     * that differs, as {@code sign} says what it signs.
     */
    static void noteWhereTheTagPoints(RegistryClient registry, ProgressListener listener, ImageReference image, String tag) throws Exception {
        ImageReference byTag = image.repositoryOnly().withTag(tag);
        java.util.Optional<Manifest> current = registry.fetchManifest(image.repositoryOnly(), tag);
        if (current.isEmpty()) {
            listener.warning("notary-publish", byTag + " does not exist at the registry; signing " + tag + " to "
                    + image.digest().get() + " as given");
        } else if (!current.get().digest().equals(image.digest().get())) {
            listener.warning("notary-publish", byTag + " names " + current.get().digest() + " at the registry, not "
                    + image.digest().get() + "; signing " + tag + " to " + image.digest().get() + " as given");
        }
    }

    /** {@code image-trust notary verify}. */
    @Command(name = "verify", description = {"Resolve each IMAGE's tag through its repository's verified Notary trust data, as",
            "DOCKER_CONTENT_TRUST=1 docker pull does, and check the registry serves that digest. Prints IMAGE:TAG@DIGEST; exit 3 when not trusted."})
    static final class Verify extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @ArgGroup(exclusive = true, multiplicity = "1")
        RootTrust rootTrust;

        @Option(names = "--no-registry-check", description = "Do not ask the registry whether it serves the signed digest.")
        boolean noRegistryCheck;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
        List<String> images;

        @Override
        public Integer call() throws Exception {
            RegistryClient registry = common.registry(context);
            ProgressListener listener = common.listener(context);
            NotaryVerifier verifier = NotaryVerifier.builder()
                    .notary(server.options(registry).rootPin(RootTrust.pin(rootTrust)).build())
                    .registry(noRegistryCheck ? null : registry)
                    .listener(listener)
                    .build();
            return ImageBatch.run(context, images, common.quiet, text -> {
                NotaryVerification verified;
                try {
                    verified = verifier.verify(ImageReference.parse(text));
                } catch (NotaryException e) {
                    if (exitCodeOf(e) != ExitCodes.NOT_TRUSTED) {
                        throw e;
                    }
                    context.err().println("image-trust: not trusted: " + text + ": " + ImageTrustCommand.describe(e));
                    return ExitCodes.NOT_TRUSTED;
                }
                TargetResolution resolution = verified.resolution();
                // Part of the result (which role vouches for the tag), so shown without -v; stderr keeps stdout one line per image.
                if (!common.quiet) {
                    context.err().println(resolution.gun() + ":" + resolution.tag() + " resolves through " + resolution.role() + "; signed by "
                        + String.join(", ", resolution.signedBy()));
                }
                context.out().println(verified.image().repositoryOnly().withTag(resolution.tag()).withDigest(resolution.digest()));
                return ExitCodes.OK;
            });
        }
    }

    /** {@code image-trust notary migrate}. */
    @Command(name = "migrate", description = {"Sign every tag REPOSITORY's verified Notary trust data signs (targets, targets/releases) in the",
            "cosign format, by the digest Notary resolves. Prints one line per tag: TAG DIGEST MIGRATED|ALREADY_SIGNED|FAILED DETAIL."})
    static final class Migrate extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @ArgGroup(exclusive = true, multiplicity = "1")
        RootTrust rootTrust;

        @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
                description = "The cosign signing key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
        String key;

        @Parameters(arity = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
        String repository;

        @Override
        public Integer call() throws Exception {
            RegistryClient registry = common.registry(context);
            try (Signer signer = Signers.openInBackground(context, key, null)) {
                NotaryMigration migration = NotaryMigration.builder()
                        .notary(server.options(registry).rootPin(RootTrust.pin(rootTrust)).build())
                        .signer(ImageSigner.builder().registry(registry).signer(signer).listener(common.listener(context)).build())
                        .listener(common.listener(context))
                        .build();
                List<NotaryMigration.MigratedTag> results;
                try {
                    results = migration.migrate(ImageReference.parse(repository));
                } catch (NotaryException e) {
                    context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
                    return exitCodeOf(e);
                }
                int exit = ExitCodes.OK;
                for (NotaryMigration.MigratedTag result : results) {
                    context.out().println(result.line());
                    if (result.outcome() == NotaryMigration.Outcome.FAILED) {
                        exit = ExitCodes.ERROR;
                    }
                }
                context.out().flush();
                return exit;
            }
        }
    }

    /** {@code image-trust notary revoke}. */
    @Command(name = "revoke", description = {"Remove each IMAGE's tag from its repository's Notary trust data: from targets/releases when --key is",
            "a targets/releases key, else from targets. Prints IMAGE:TAG REVOKED ROLE vN. A tag the role does not sign is an error."})
    static final class Revoke extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
                description = "The targets key (or a targets/releases key). Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
        String key;

        @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
                description = "The root key, to pin the existing root. Passphrase from " + ROOT_PASSWORD_ENV + ", else as for --key.")
        String rootKey;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        RootTrust rootTrust;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references with a tag.")
        List<String> images;

        @Override
        public Integer call() throws Exception {
            RegistryClient registry = common.registry(context);
            try (Signer signer = Signers.openInBackground(context, key, null); Signer root = rootKey == null ? null : Signers.openInBackground(context, rootKey, ROOT_PASSWORD_ENV)) {
                NotaryOptions options = optionsWithRoot(server, registry, root, rootTrust);
                return ImageBatch.run(context, images, common.quiet, text -> {
                    Signers.failIfFailed(signer);
                    Signers.failIfFailed(root);
                    ImageReference image = ImageReference.parse(text);
                    String tag = tagOf(image, text);
                    RevokeResult result = options.publisher(common.listener(context)).revoke(NotaryOptions.gun(image), tag, signer, root);
                    ImageReference tagged = image.repositoryOnly().withTag(tag);
                    context.out().println(tagged + " REVOKED " + result.role() + " v" + result.roleVersion());
                    result.stillResolvesTo().ifPresent(r -> context.err().println("image-trust: warning: " + tagged + " still resolves to "
                            + r.digest() + " through " + r.role()));
                    return ExitCodes.OK;
                });
            }
        }
    }

    /** {@code image-trust notary rotate-key}. */
    @Command(name = "rotate-key", description = {"Replace the root key (new root signed by --root-key and --new-key), the targets key (new root",
            "signed by --root-key, targets re-signed) or a delegation's key (targets re-signed by --key, the delegation re-signed)",
            "of REPOSITORY's Notary trust data, in one upload.",
            "Prints REPOSITORY ROLE NEW_KEY_ID root vN targets vN."})
    static final class RotateKey extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @Option(names = "--role", defaultValue = RoleNames.TARGETS, paramLabel = "ROLE",
                description = "targets (default), root, or a delegation of targets such as targets/releases.")
        String role;

        @Option(names = "--new-key", required = true, paramLabel = "FILE|pkcs11:URI",
                description = "The role's new private key. Passphrase from " + NEW_KEY_PASSWORD_ENV + ", else as for --key.")
        String newKey;

        @Option(names = "--key", paramLabel = "FILE|pkcs11:URI",
                description = "The targets key: required to rotate a delegation's key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
        String key;

        @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
                description = "The (current) root key: required to rotate the root or targets key; else it pins the root. Passphrase from " + ROOT_PASSWORD_ENV + ", else as for --key.")
        String rootKey;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        RootTrust rootTrust;

        @Parameters(arity = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
        String repository;

        @Override
        public Integer call() throws Exception {
            boolean targetsRole = RoleNames.TARGETS.equals(role);
            boolean rootRole = RoleNames.ROOT.equals(role);
            if (!targetsRole && !rootRole && !RoleNames.isDelegation(role)) {
                throw new CliUsageException("--role " + role + ": not root, targets nor a delegation of targets (targets/NAME)");
            }
            if ((targetsRole || rootRole) && rootKey == null) {
                throw new CliUsageException("rotating the " + role + " key needs --root-key: the new root must be signed by it");
            }
            if (RoleNames.isDelegation(role) && key == null) {
                throw new CliUsageException("rotating the key of " + role + " needs --key, the targets key that delegates it");
            }
            RegistryClient registry = common.registry(context);
            try (Signer root = rootKey == null ? null : Signers.openInBackground(context, rootKey, ROOT_PASSWORD_ENV);
                    Signer targets = key == null ? null : Signers.openInBackground(context, key, null);
                    Signer replacement = Signers.openInBackground(context, newKey, NEW_KEY_PASSWORD_ENV)) {
                String gun = NotaryOptions.gun(ImageReference.parse(repository));
                var publisher = optionsWithRoot(server, registry, root, rootTrust).publisher(common.listener(context));
                KeyRotationResult result = rootRole ? publisher.rotateRootKey(gun, root, replacement)
                        : targetsRole ? publisher.rotateTargetsKey(gun, root, replacement)
                        : publisher.rotateDelegationKey(gun, role, targets, root, replacement);
                context.out().println(repository + " " + result.role() + " " + result.newKeyId() + " root v" + result.rootVersion()
                        + " targets v" + result.targetsVersion());
                context.out().flush();
                return ExitCodes.OK;
            } catch (NotaryException | IllegalArgumentException | IllegalStateException e) {
                context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
                return ExitCodes.ERROR;
            }
        }
    }

    /** {@code image-trust notary add-signer}. */
    @Command(name = "add-signer", description = {"Add a named signer to REPOSITORY's Notary trust data, like docker trust signer add: targets, signed",
            "by --key, delegates targets/NAME and targets/releases to the signer's public key. Tags later signed with that key",
            "go into both roles, and docker trust inspect lists NAME as their signer. Prints REPOSITORY targets/NAME KEY_ID."})
    static final class AddSigner extends ContextCommand {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        ServerOptions server = new ServerOptions();

        @Option(names = "--key", required = true, paramLabel = "FILE|pkcs11:URI",
                description = "The targets key. Passphrase from IMAGE_TRUST_PASSWORD / COSIGN_PASSWORD / prompt.")
        String key;

        @Option(names = "--signer-key", required = true, paramLabel = "FILE", description = "The signer's PEM public key.")
        Path signerKey;

        @Option(names = "--root-key", paramLabel = "FILE|pkcs11:URI",
                description = "The root key, to pin the existing root. Passphrase from " + ROOT_PASSWORD_ENV + ", else as for --key.")
        String rootKey;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        RootTrust rootTrust;

        @Parameters(index = "0", paramLabel = "NAME", description = "The signer's name: lowercase letters and digits, then also - and _ (not releases).")
        String name;

        @Parameters(index = "1", paramLabel = "REPOSITORY", description = "The repository, e.g. registry.example.com/team/app.")
        String repository;

        @Override
        public Integer call() throws Exception {
            PublicKey signerPublicKey;
            try {
                signerPublicKey = PublicKeys.parse(Files.readString(signerKey, StandardCharsets.US_ASCII));
            } catch (KeyException e) {
                throw new CliUsageException("--signer-key " + signerKey + ": " + e.getMessage());
            }
            RegistryClient registry = common.registry(context);
            try (Signer targets = Signers.openInBackground(context, key, null); Signer root = rootKey == null ? null : Signers.openInBackground(context, rootKey, ROOT_PASSWORD_ENV)) {
                String gun = NotaryOptions.gun(ImageReference.parse(repository));
                optionsWithRoot(server, registry, root, rootTrust).publisher(common.listener(context)).addSigner(gun, name, signerPublicKey, targets, root);
                context.out().println(repository + " " + RoleNames.TARGETS + "/" + name + " " + TufKey.forPublicKey(signerPublicKey).id());
                context.out().flush();
                return ExitCodes.OK;
            } catch (NotaryException | IllegalArgumentException | IllegalStateException e) {
                context.err().println("image-trust: error: " + repository + ": " + ImageTrustCommand.describe(e));
                return ExitCodes.ERROR;
            }
        }
    }
}
