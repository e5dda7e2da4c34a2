package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random trees (a property test without a property-test library): without control characters the
 * canonical form is valid JSON that parses back to the same tree, and canonicalising it again changes nothing.
 */
class CanonicalJsonPropertyTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ALPHABET = "aZ09 _-/\"\\é€\uD83D\uDE00\u2028\uFF61:{}[],";

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void canonicalFormParsesBackAndIsAFixedPoint(long seed) throws Exception {
        JsonNode tree = randomNode(new Random(seed), 0);

        byte[] canonical = CanonicalJson.encode(tree);
        JsonNode reparsed = CanonicalJson.parse(canonical);

        assertThat(reparsed).isEqualTo(tree);
        assertThat(CanonicalJson.encode(reparsed)).isEqualTo(canonical);
    }

    private static JsonNode randomNode(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0:
                return NODES.textNode(randomString(random));
            case 1:
                return random.nextBoolean() ? NODES.numberNode(random.nextLong()) : NODES.numberNode(new BigInteger(90, random));
            case 2:
                return NODES.booleanNode(random.nextBoolean());
            case 3:
                return NODES.nullNode();
            case 4: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(random, depth + 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(randomString(random), randomNode(random, depth + 1));
                }
                return object;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(ALPHABET.length());
            char c = ALPHABET.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < ALPHABET.length()) {
                text.append(c).append(ALPHABET.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }
}
