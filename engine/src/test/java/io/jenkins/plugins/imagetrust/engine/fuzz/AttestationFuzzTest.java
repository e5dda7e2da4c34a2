package io.jenkins.plugins.imagetrust.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationException;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationReason;
import io.jenkins.plugins.imagetrust.engine.attestation.AttestationRequirement;
import io.jenkins.plugins.imagetrust.engine.attestation.Envelope;
import io.jenkins.plugins.imagetrust.engine.attestation.Statement;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaFields;
import java.io.IOException;
import java.util.Set;

/**
 * The attestation parsers (statements, envelopes, predicates, {@code requiredAttestations}) either return a value or
 * throw their own documented exception with a one-line message; what parses survives a round trip through the matching
 * writer. Seeds under {@code src/test/resources/.../AttestationFuzzTestInputs/} run in every build; {@code JAZZER_FUZZ=1}
 * fuzzes for real (docs/security.md).
 */
class AttestationFuzzTest {
    private static final Set<String> KEY_NAMES = Set.of("release", "security");

    @FuzzTest
    void statements(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        Statement statement;
        try {
            statement = Statement.parse(bytes);
        } catch (AttestationException e) {
            assertThat(e.reason()).isEqualTo(AttestationReason.STATEMENT_MALFORMED);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        boolean writable;
        try {
            writable = PredicateTypes.resolve(statement.predicateType()).equals(statement.predicateType());
        } catch (IllegalArgumentException notAUri) {
            writable = false;
        }
        if (writable) {
            Statement again = Statement.parse(Statement.write(statement.subjects(), statement.predicateType(), statement.predicate()));
            assertThat(again.subjects()).isEqualTo(statement.subjects());
            assertThat(again.predicateType()).isEqualTo(statement.predicateType());
            assertThat(again.predicate()).isEqualTo(statement.predicate());
        }
        if (SlsaFields.isProvenance(statement.predicateType())) {
            // the policy's field readers never throw on a predicate that parsed
            SlsaFields.builderId(statement.predicateType(), statement.predicate());
            SlsaFields.buildType(statement.predicateType(), statement.predicate());
            SlsaFields.sourceRepository(statement.predicateType(), statement.predicate());
        }
    }

    @FuzzTest
    void envelopes(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        Envelope envelope;
        try {
            envelope = Envelope.parse(bytes);
        } catch (AttestationException e) {
            assertThat(e.reason()).isEqualTo(AttestationReason.ENVELOPE_MALFORMED);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        Envelope again;
        try {
            again = Envelope.parse(envelope.toJson());
        } catch (AttestationException e) {
            throw new AssertionError("what parsed does not parse once written: " + e.getMessage(), e);
        }
        assertThat(again.toJson()).isEqualTo(envelope.toJson());
        assertThat(again.pae()).isEqualTo(envelope.pae());
    }

    @FuzzTest
    void predicates(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            JsonNode predicate = Statement.readPredicate(bytes);
            for (String type : new String[] {PredicateTypes.SLSA_PROVENANCE_V1, PredicateTypes.SLSA_PROVENANCE_V02}) {
                SlsaFields.builderId(type, predicate);
                SlsaFields.buildType(type, predicate);
                SlsaFields.sourceRepository(type, predicate);
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @FuzzTest
    void requiredAttestations(FuzzedDataProvider data) throws IOException {
        JsonNode tree;
        try {
            tree = JsonMappers.noDuplicateKeys().readTree(data.consumeRemainingAsBytes());
        } catch (IOException notJson) {
            return;
        }
        java.util.List<AttestationRequirement> requirements;
        try {
            requirements = AttestationRequirement.parse(tree, KEY_NAMES);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith(AttestationRequirement.POLICY_FIELD).doesNotContain("\n");
            return;
        }
        assertThat(AttestationRequirement.parse(AttestationRequirement.toJsonTree(requirements), KEY_NAMES)).isEqualTo(requirements);
    }
}
