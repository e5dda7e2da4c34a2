package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalJsonTest {

    static List<Path> rawFiles() {
        return NotaryInterop.rawMetadataFiles();
    }

    @Test
    void findsEveryInteropMetadataFile() {
        // hello x2 (top level + metadata/hello) of 4 + 2 delegations, pushsigned 4, thirdparty 2
        assertThat(rawFiles()).hasSize(4 + 6 + 4 + 2);
    }

    @ParameterizedTest
    @MethodSource("rawFiles")
    void n4_envelopeRoundTripIsByteIdentical(Path file) throws Exception {
        byte[] raw = NotaryInterop.read(file);
        JsonNode tree = CanonicalJson.parse(raw);

        byte[] written = CanonicalJson.encodeEnvelope(tree.get("signed"), tree.get("signatures"));

        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(new String(raw, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("rawFiles")
    void n5_keySortedEnvelopeDiffers(Path file) throws Exception {
        byte[] raw = NotaryInterop.read(file);

        byte[] keySorted = CanonicalJson.encode(CanonicalJson.parse(raw));

        assertThat(keySorted).isNotEqualTo(raw);
        assertThat(new String(keySorted, StandardCharsets.UTF_8)).startsWith("{\"signatures\":");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // input | expected (JCS gives the same bytes for ASCII keys, printable strings and small integers)
            "`{ \"b\" : 1, \"a\" : [ true, false, null ] }` | `{\"a\":[true,false,null],\"b\":1}`",
            "`{\"z\":{\"y\":\"x\",\"a\":\"b\"},\"A\":0}` | `{\"A\":0,\"z\":{\"a\":\"b\",\"y\":\"x\"}}`",
            "`[1, -2, 0, 12345678901234567890123]` | `[1,-2,0,12345678901234567890123]`",
            "`\"quote \\\" and backslash \\\\\"` | `\"quote \\\" and backslash \\\\\"`",
            "`\"slash / stays\"` | `\"slash / stays\"`",
            "`{}` | `{}`",
            "`[]` | `[]`",
            // Go's canonical encoder, unlike JCS: integral floats are integers, non-ASCII raw, big integers exact
            "`[1.0, 1e3, -0.0]` | `[1,1000,0]`",
            "`\"caf\\u00e9 \\u2028\"` | `\"café \u2028\"`",
            "`9007199254740993` | `9007199254740993`",
    })
    void writesTheDockerGoCanonicalForm(String input, String expected) throws Exception {
        assertThat(new String(CanonicalJson.encode(CanonicalJson.parse(input.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    @Test
    void sortsKeysByUtf8BytesNotUtf16() throws Exception {
        // U+FF61 is one UTF-16 unit above the surrogates; U+1F600 is two units starting 0xD83D. UTF-16 order
        // puts the emoji first, UTF-8 byte order (EF.. < F0..) puts U+FF61 first, as Go does.
        JsonNode node = CanonicalJson.parse("{\"\uD83D\uDE00\":1,\"\uFF61\":2}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(CanonicalJson.encode(node), StandardCharsets.UTF_8)).isEqualTo("{\"\uFF61\":2,\"\uD83D\uDE00\":1}");
    }

    @Test
    void writesControlCharactersRaw() throws Exception {
        JsonNode node = CanonicalJson.parse("{\"a\":\"line\\nbreak\\u0001\\t\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(CanonicalJson.encode(node)).isEqualTo("{\"a\":\"line\nbreak\u0001\t\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsAFraction() throws Exception {
        JsonNode node = CanonicalJson.parse("{\"signed\":{\"version\":1.5}}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5")
                .hasMessageContaining("$.signed.version");
    }

    @Test
    void rejectsNonFiniteAndUnpairedSurrogates() {
        ObjectNode nan = CanonicalJson.mapper().createObjectNode().put("x", Double.NaN);
        ObjectNode surrogate = CanonicalJson.mapper().createObjectNode().put("x", "\uD800");

        assertThatThrownBy(() -> CanonicalJson.encode(nan)).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> CanonicalJson.encode(surrogate)).hasMessageContaining("surrogate");
    }

    @Test
    void parserRejectsDuplicateKeys() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'a'");
    }
}
