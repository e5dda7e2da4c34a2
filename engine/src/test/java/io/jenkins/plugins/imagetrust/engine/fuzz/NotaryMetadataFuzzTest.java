package io.jenkins.plugins.imagetrust.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SnapshotMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TimestampMetadata;
import java.io.IOException;
import java.util.List;

/**
 * The TUF metadata parser and the canonical JSON writer on untrusted bytes: parsing either succeeds or throws
 * {@link MalformedMetadataException}; what parses, written canonically and parsed again, is the same (the model
 * round-trips, and canonical form is idempotent). Go's canonical form writes control characters raw, so a tree
 * holding one has a canonical form that is no longer JSON: there only determinism is checked. Seeds (real docker/notary files among them) are under
 * {@code src/test/resources/.../NotaryMetadataFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class NotaryMetadataFuzzTest {
    private static final List<String> ROLES = List.of(RoleNames.ROOT, RoleNames.TARGETS, RoleNames.SNAPSHOT, RoleNames.TIMESTAMP, RoleNames.RELEASES);

    @FuzzTest
    void canonicalJsonRoundTrips(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        JsonNode tree;
        byte[] canonical;
        try {
            tree = CanonicalJson.parse(bytes);
            if (tree == null) {
                return;
            }
            canonical = CanonicalJson.encode(tree);
        } catch (IOException | IllegalArgumentException e) {
            return; // not JSON, or a value without canonical form (fraction, non-finite, unpaired surrogate)
        }
        assertThat(CanonicalJson.encode(tree)).isEqualTo(canonical);
        if (holdsControlCharacter(tree)) {
            return;
        }
        JsonNode reparsed;
        try {
            reparsed = CanonicalJson.parse(canonical);
        } catch (IOException e) {
            throw new AssertionError("canonical output does not parse: " + e.getMessage(), e);
        }
        assertThat(reparsed).isEqualTo(tree);
        assertThat(CanonicalJson.encode(reparsed)).isEqualTo(canonical);
    }

    @FuzzTest
    void tufMetadataParsesOrIsRejectedAndRoundTrips(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        for (String role : ROLES) {
            ObjectNode model;
            try {
                model = modelJson(SignedMetadata.parse(role, bytes));
            } catch (MalformedMetadataException e) {
                assertThat(e.getMessage()).isNotBlank();
                continue;
            }
            byte[] canonical = CanonicalJson.encode(model);
            if (holdsControlCharacter(model)) {
                continue;
            }
            byte[] envelope = CanonicalJson.encodeEnvelope(model, CanonicalJson.mapper().createArrayNode());
            ObjectNode again = modelJson(SignedMetadata.parse(role, envelope));
            assertThat(CanonicalJson.encode(again)).as(role).isEqualTo(canonical);
        }
    }

    /** Whether a key or string in {@code node} holds U+0000–U+001F, which canonical form writes unescaped. */
    private static boolean holdsControlCharacter(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().chars().anyMatch(c -> c < 0x20);
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getKey().chars().anyMatch(c -> c < 0x20) || holdsControlCharacter(field.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node) {
            if (node.isArray() && holdsControlCharacter(element)) {
                return true;
            }
        }
        return false;
    }

    /** The typed model of the file's role, written back as JSON. */
    private static ObjectNode modelJson(SignedMetadata file) throws MalformedMetadataException {
        return switch (file.role()) {
            case RoleNames.ROOT -> RootMetadata.from(file).toJson();
            case RoleNames.SNAPSHOT -> SnapshotMetadata.from(file).toJson();
            case RoleNames.TIMESTAMP -> TimestampMetadata.from(file).toJson();
            default -> TargetsMetadata.from(file).toJson();
        };
    }
}
