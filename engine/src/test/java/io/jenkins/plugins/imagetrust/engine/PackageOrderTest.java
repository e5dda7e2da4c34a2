package io.jenkins.plugins.imagetrust.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's packages form layers (docs/architecture.md, "Layers"): a package may use the packages of the layers
 * below its own, never those of its own layer or above, so the package graph stays acyclic and each package can be
 * read knowing only what is below it. Sub-packages ({@code notary.model}, {@code registry.auth}) belong to their
 * top package. Every engine-qualified name in a source file counts: imports, static imports, and names written out
 * in full (in code or in Javadoc).
 */
class PackageOrderTest {
    private static final String ENGINE = "io.jenkins.plugins.imagetrust.engine";
    /** The top-level package: the use cases (ImageSigner, ImageVerifier, NotaryVerifier, NotaryMigration …). */
    private static final String TOP = "";

    /** Lowest first. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("reference", "events", "files", "json"),
            Set.of("keys", "provenance", "intoto"),
            Set.of("http", "sigstore"),
            Set.of("registry"),
            Set.of("daemon"),
            Set.of("signature"),
            Set.of("cosign", "notary"),
            Set.of("policy"),
            Set.of("attestation"),
            Set.of("verify"),
            Set.of(TOP));

    /** Pairs within one layer that may depend on each other ({@code "from->to"}); none today. */
    static final Set<String> ALLOWED_WITHIN_A_LAYER = Set.of();

    private static final Pattern QUALIFIED = Pattern.compile("\\b" + Pattern.quote(ENGINE) + "((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void theEngineSourcesFollowTheLayers() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "."), "src/main/java", ENGINE.replace('.', '/'));
        assertThat(sources).isDirectory();

        List<String> violations = violations(sources);

        assertThat(violations).as("uses of engine packages against PackageOrderTest.LAYERS (lowest first)").isEmpty();
    }

    @Test
    void aBackEdgeIsFoundAndNamed(@TempDir Path sources) throws IOException {
        write(sources, "reference/Digest.java", "package " + ENGINE + ".reference;\n\nimport " + ENGINE + ".cosign.TagUpdate;\n");
        write(sources, "cosign/TagUpdate.java", "package " + ENGINE + ".cosign;\n\nimport " + ENGINE + ".reference.Digest;\n");

        assertThat(violations(sources)).singleElement().asString()
                .contains("reference/Digest.java", "import " + ENGINE + ".cosign.TagUpdate", "layer 1 [events, files, json, reference]",
                        "layer 7 [cosign, notary]");
    }

    @Test
    void packagesOfOneLayerMayNotUseEachOther(@TempDir Path sources) throws IOException {
        write(sources, "http/Transport.java", "package " + ENGINE + ".http;\n\n/** See {@link " + ENGINE + ".sigstore.Bundle}. */\n");

        assertThat(violations(sources)).singleElement().asString().contains("http/Transport.java", ENGINE + ".sigstore.Bundle", "its own layer");
    }

    @Test
    void aPackageInNoLayerIsReported(@TempDir Path sources) throws IOException {
        write(sources, "attestations/Statement.java", "package " + ENGINE + ".attestations;\n\nimport " + ENGINE + ".reference.Digest;\n");

        assertThat(violations(sources)).singleElement().asString().contains("attestations/Statement.java", "'attestations' is in no layer");
    }

    /** Each use of an engine package against {@link #LAYERS}, as "file: what: why". */
    static List<String> violations(Path sources) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String relative = sources.relativize(file).toString().replace('\\', '/');
            String from = topPackage(relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/')).replace('/', '.') : TOP);
            int fromLayer = layerOf(from);
            if (fromLayer < 0) {
                out.add(relative + ": package '" + from + "' is in no layer of PackageOrderTest.LAYERS");
                continue;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("package ")) {
                    continue;
                }
                Matcher m = QUALIFIED.matcher(line);
                while (m.find()) {
                    String to = topPackage(m.group(1).isEmpty() ? TOP : m.group(1).substring(1));
                    String use = line.strip();
                    if (to.equals(from) || ALLOWED_WITHIN_A_LAYER.contains(from + "->" + to)) {
                        continue;
                    }
                    int toLayer = layerOf(to);
                    if (toLayer < 0) {
                        out.add(relative + ": " + use + ": package '" + to + "' is in no layer of PackageOrderTest.LAYERS");
                    } else if (toLayer == fromLayer) {
                        out.add(relative + ": " + use + ": '" + name(from) + "' uses '" + name(to) + "' of its own layer " + describe(fromLayer));
                    } else if (toLayer > fromLayer) {
                        out.add(relative + ": " + use + ": '" + name(from) + "' in " + describe(fromLayer) + " uses '" + name(to) + "' in "
                                + describe(toLayer) + ", a layer above it");
                    }
                }
            }
        }
        return out;
    }

    /** {@code notary.model} belongs to {@code notary}. */
    private static String topPackage(String packageName) {
        int dot = packageName.indexOf('.');
        return dot < 0 ? packageName : packageName.substring(0, dot);
    }

    private static int layerOf(String topPackage) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(topPackage)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(int layer) {
        return "layer " + (layer + 1) + " " + LAYERS.get(layer).stream().map(PackageOrderTest::name).sorted().toList();
    }

    private static String name(String topPackage) {
        return topPackage.equals(TOP) ? "(top level)" : topPackage;
    }

    private static void write(Path sources, String relative, String text) throws IOException {
        Path file = sources.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
