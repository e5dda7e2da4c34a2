package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * sigstore-js (@sigstore/verify, @sigstore/sign under node), an independent Sigstore implementation, installed by
 * {@code .ci/run} (the versions {@code engine/src/test/sigstore-js/package-lock.json} pins) into
 * {@code IMAGE_TRUST_SIGSTORE_JS} (default {@code ~/.cache/image-trust/sigstore-js}). Not installed: the test aborts,
 * and fails under {@code CI=true}. Runs a test resource script with {@code NODE_PATH} set to its modules.
 */
public final class SigstoreJs {
    private final Path node;
    private final Path modules;

    /** The result of one script run: exit code, standard output then standard error. */
    public record Run(int exitCode, String output) {
    }

    private SigstoreJs(Path node, Path modules) {
        this.node = node;
        this.modules = modules;
    }

    /** sigstore-js as installed here, or the test is aborted (failed under CI) saying how to install it. */
    public static SigstoreJs require() {
        Path node = RequiredBinaries.require("node");
        String configured = System.getenv("IMAGE_TRUST_SIGSTORE_JS");
        Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "image-trust", "sigstore-js");
        Path modules = dir.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("@sigstore/verify")) || !Files.isDirectory(modules.resolve("@sigstore/sign"))) {
            String message = "INTEROP TEST NOT RUN: sigstore-js is not installed in " + dir + " (copy engine/src/test/sigstore-js/"
                    + "package*.json there and run npm ci --prefix " + dir + ", as .ci/run does)";
            if (RequiredBinaries.isCi()) {
                Assertions.fail(message + "; under CI=true this is a failure");
            }
            System.err.println("*** " + message + " ***");
            Assumptions.abort(message);
        }
        return new SigstoreJs(node, modules);
    }

    /** Runs {@code script}, a resource beside {@code owner}, in {@code dir} with {@code args}; at most 60 s. */
    public Run run(Class<?> owner, Path dir, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString(), Path.of(owner.getResource(script).toURI()).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        builder.environment().put("NODE_PATH", modules.toString());
        builder.redirectError(dir.resolve(script + ".err").toFile());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("node did not finish in 60 s");
        }
        String err = Files.readString(dir.resolve(script + ".err"));
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8) + err);
    }
}
