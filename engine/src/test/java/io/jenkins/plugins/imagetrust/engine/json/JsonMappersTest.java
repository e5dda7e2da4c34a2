package io.jenkins.plugins.imagetrust.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** What each preset accepts and refuses: the strictness a call site picks by name. */
class JsonMappersTest {
    private static final String DUPLICATE = "{\"a\":1,\"a\":2}";
    private static final String TRAILING = "{\"a\":1} {\"b\":2}";

    @Test
    void lenientKeepsTheLastDuplicateAndIgnoresTrailingContent() throws Exception {
        assertThat(JsonMappers.lenient().readTree(DUPLICATE).path("a").asInt()).isEqualTo(2);
        assertThat(JsonMappers.lenient().readTree(TRAILING).has("b")).isFalse();
    }

    @Test
    void noDuplicateKeysRefusesDuplicatesOnly() throws Exception {
        assertThatThrownBy(() -> JsonMappers.noDuplicateKeys().readTree(DUPLICATE)).hasMessageContaining("Duplicate field 'a'");
        assertThat(JsonMappers.noDuplicateKeys().readTree(TRAILING).path("a").asInt()).isEqualTo(1);
    }

    @Test
    void strictRefusesDuplicatesAndTrailingContent() {
        assertThatThrownBy(() -> JsonMappers.strict().readTree(DUPLICATE)).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> JsonMappers.strict().readTree(TRAILING)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void exactNumbersKeepEveryDigitAndTrailingZeros() throws Exception {
        JsonNode node = JsonMappers.exactNumbers().readTree("{\"f\":1.50,\"i\":123456789012345678901234567890}");
        assertThat(JsonMappers.exactNumbers().writeValueAsString(node)).isEqualTo("{\"f\":1.50,\"i\":123456789012345678901234567890}");
        assertThatThrownBy(() -> JsonMappers.exactNumbers().readTree(DUPLICATE)).hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void strictShallowRefusesDuplicatesTrailingContentAndDeepNesting() throws Exception {
        ObjectMapper shallow = JsonMappers.strictShallow();
        assertThatThrownBy(() -> shallow.readTree(DUPLICATE)).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> shallow.readTree(TRAILING)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> shallow.readTree("[".repeat(65) + "]".repeat(65))).hasMessageContaining("nesting depth");
        assertThat(shallow.readTree("[".repeat(64) + "]".repeat(64)).isArray()).isTrue();
    }

    @Test
    void tufMetadataIsStrictExactAndShallow() throws Exception {
        ObjectMapper tuf = JsonMappers.tufMetadata();
        assertThat(tuf.readTree("{\"x\":1.5}").path("x").decimalValue()).isEqualTo(new BigDecimal("1.5"));
        assertThatThrownBy(() -> tuf.readTree(DUPLICATE)).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> tuf.readTree(TRAILING)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> tuf.readTree("[".repeat(65) + "]".repeat(65))).hasMessageContaining("nesting depth");
        assertThat(tuf.readTree("[".repeat(64) + "]".repeat(64)).isArray()).isTrue();
    }

    @Test
    void yamlPresetsReadStrictlyAndWriteWithoutAStartMarker() throws Exception {
        assertThat(JsonMappers.yamlNoDuplicateKeys().readTree("a: 1\nb: two\n").path("b").asText()).isEqualTo("two");
        assertThatThrownBy(() -> JsonMappers.yamlNoDuplicateKeys().readTree("a: 1\na: 2\n")).hasMessageContaining("Duplicate field 'a'");
        JsonNode tree = JsonMappers.lenient().readTree("{\"text\":\"one\\ntwo\"}");
        assertThat(JsonMappers.yamlWriter().writeValueAsString(tree)).isEqualTo("text: |-\n  one\n  two\n");
    }

    @Test
    void eachPresetIsOneSharedInstance() {
        assertThat(JsonMappers.strict()).isSameAs(JsonMappers.strict());
        assertThat(JsonMappers.lenient()).isNotSameAs(JsonMappers.noDuplicateKeys());
    }
}
