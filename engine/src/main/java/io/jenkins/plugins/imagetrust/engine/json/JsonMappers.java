package io.jenkins.plugins.imagetrust.engine.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * Every JSON (and YAML) mapper of the engine, CLI and plugin, one per strictness preset, each built once and shared:
 * a configured {@code ObjectMapper} is thread-safe. Each is built on first use (a CLI run pays only for what it
 * reads; YAML's classes load only for a YAML policy). Pick the preset by what is read, never configure the mapper you
 * get (that would change it for every caller): a new need is a new preset here.
 *
 * <ul>
 *   <li>{@link #lenient()}: Jackson's defaults (a duplicate key keeps the last value, content after the document is
 *       ignored). For answers that are not signed and only looked into (registry errors, token and tag-list
 *       responses, the daemon's answers, docker's config, credential helpers), and for building and writing trees.
 *   <li>{@link #noDuplicateKeys()}: a duplicate key is an error. Manifests we read back or sign, key files, policy
 *       files.
 *   <li>{@link #strict()}: no duplicate key, nothing after the document. Signed documents (simple-signing payloads,
 *       in-toto statements, Sigstore bundles) and image indexes: two readers resolving either differently would see
 *       two meanings in one signed text.
 *   <li>{@link #strictShallow()}: {@link #strict()}, and nesting at most 64 deep, so a hostile document cannot
 *       exhaust the stack. Sigstore bundles and trusted roots read by {@code sigstore}.
 *   <li>{@link #exactNumbers()}: no duplicate key, every number kept exact ({@code BigDecimal}/{@code BigInteger},
 *       trailing zeros included), so a document re-serialised after an edit keeps the bytes of what it did not
 *       change (the referrers index).
 *   <li>{@link #tufMetadata()}: no duplicate key, nothing after the document, fractions kept exact (so {@code 1.5}
 *       is seen as a fraction, which TUF's canonical form has not), nesting at most 64 deep. Notary metadata.
 *   <li>{@link #attestations()}: no duplicate key, nothing after the document, numbers kept exact (a predicate
 *       re-written or compared by a policy rule keeps {@code 1.10} as written), nesting at most 64 deep. In-toto
 *       statements and DSSE envelopes of attestations, and predicate files.
 *   <li>{@link #yamlNoDuplicateKeys()}: YAML, a duplicate key is an error. Policy files written as YAML.
 *   <li>{@link #yamlWriter()}: YAML output without a {@code ---} start marker, multi-line strings as literal blocks.
 * </ul>
 */
public final class JsonMappers {
    private JsonMappers() {
    }

    public static ObjectMapper lenient() {
        return Lenient.MAPPER;
    }

    public static ObjectMapper noDuplicateKeys() {
        return NoDuplicateKeys.MAPPER;
    }

    public static ObjectMapper strict() {
        return Strict.MAPPER;
    }

    public static ObjectMapper strictShallow() {
        return StrictShallow.MAPPER;
    }

    public static ObjectMapper exactNumbers() {
        return ExactNumbers.MAPPER;
    }

    public static ObjectMapper tufMetadata() {
        return TufMetadata.MAPPER;
    }

    public static ObjectMapper attestations() {
        return Attestations.MAPPER;
    }

    public static ObjectMapper yamlNoDuplicateKeys() {
        return YamlNoDuplicateKeys.MAPPER;
    }

    public static ObjectMapper yamlWriter() {
        return YamlWriter.MAPPER;
    }

    // One holder class per preset: the JVM builds each mapper once, on first use, thread-safely.

    private static final class Lenient {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final class NoDuplicateKeys {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static final class Strict {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static final class StrictShallow {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        static {
            MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        }
    }

    private static final class ExactNumbers {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    private static final class TufMetadata {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();

        static {
            MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        }
    }

    private static final class Attestations {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();

        static {
            MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        }
    }

    private static final class YamlNoDuplicateKeys {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static final class YamlWriter {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
    }
}
