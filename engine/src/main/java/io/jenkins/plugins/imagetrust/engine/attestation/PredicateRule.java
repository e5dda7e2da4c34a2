package io.jenkins.plugins.imagetrust.engine.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaFields;
import java.util.Objects;
import java.util.Optional;

/**
 * A simple rule on an SLSA provenance predicate (v1 or v0.2), on the facts {@link SlsaFields} reads. Values are
 * compared exactly, case included; an absent field fails every rule.
 */
public sealed interface PredicateRule {
    /** The rule's field name in a policy file. */
    String field();

    /** The value the policy gave. */
    String expected();

    /** The reason a predicate failing this rule gets. */
    AttestationReason reason();

    /** Empty when {@code predicate} satisfies the rule, else what it has instead (one line). */
    Optional<String> mismatch(String predicateType, JsonNode predicate);

    /** The rule a policy field stands for. */
    static PredicateRule of(String field, String expected) {
        switch (field) {
            case BuilderIdEquals.FIELD:
                return new BuilderIdEquals(expected);
            case BuilderIdStartsWith.FIELD:
                return new BuilderIdStartsWith(expected);
            case SourceRepositoryEquals.FIELD:
                return new SourceRepositoryEquals(expected);
            case BuildTypeEquals.FIELD:
                return new BuildTypeEquals(expected);
            default:
                throw new IllegalArgumentException("'" + field + "' is not a predicate rule");
        }
    }

    /** {@code builderId}: the builder id equals the value. */
    record BuilderIdEquals(String expected) implements PredicateRule {
        static final String FIELD = "builderId";

        public BuilderIdEquals {
            requireValue(expected, FIELD);
        }

        @Override
        public String field() {
            return FIELD;
        }

        @Override
        public AttestationReason reason() {
            return AttestationReason.BUILDER_ID_MISMATCH;
        }

        @Override
        public Optional<String> mismatch(String predicateType, JsonNode predicate) {
            Optional<String> actual = SlsaFields.builderId(predicateType, predicate);
            return actual.filter(expected::equals).isPresent() ? Optional.empty() : Optional.of(describe("builder id", actual, "is not", expected));
        }
    }

    /** {@code builderIdPrefix}: the builder id starts with the value (e.g. "this controller": its root URL). */
    record BuilderIdStartsWith(String expected) implements PredicateRule {
        static final String FIELD = "builderIdPrefix";

        public BuilderIdStartsWith {
            requireValue(expected, FIELD);
        }

        @Override
        public String field() {
            return FIELD;
        }

        @Override
        public AttestationReason reason() {
            return AttestationReason.BUILDER_ID_MISMATCH;
        }

        @Override
        public Optional<String> mismatch(String predicateType, JsonNode predicate) {
            Optional<String> actual = SlsaFields.builderId(predicateType, predicate);
            return actual.filter(id -> id.startsWith(expected)).isPresent() ? Optional.empty()
                    : Optional.of(describe("builder id", actual, "does not start with", expected));
        }
    }

    /** {@code sourceRepository}: the source repository ({@link SlsaFields#sourceRepository}) equals the value. */
    record SourceRepositoryEquals(String expected) implements PredicateRule {
        static final String FIELD = "sourceRepository";

        public SourceRepositoryEquals {
            requireValue(expected, FIELD);
            expected = SlsaFields.withoutGitPrefix(expected);
        }

        @Override
        public String field() {
            return FIELD;
        }

        @Override
        public AttestationReason reason() {
            return AttestationReason.SOURCE_REPOSITORY_MISMATCH;
        }

        @Override
        public Optional<String> mismatch(String predicateType, JsonNode predicate) {
            Optional<String> actual = SlsaFields.sourceRepository(predicateType, predicate);
            return actual.filter(expected::equals).isPresent() ? Optional.empty()
                    : Optional.of(describe("source repository", actual, "is not", expected));
        }
    }

    /** {@code buildType}: the build type equals the value. */
    record BuildTypeEquals(String expected) implements PredicateRule {
        static final String FIELD = "buildType";

        public BuildTypeEquals {
            requireValue(expected, FIELD);
        }

        @Override
        public String field() {
            return FIELD;
        }

        @Override
        public AttestationReason reason() {
            return AttestationReason.BUILD_TYPE_MISMATCH;
        }

        @Override
        public Optional<String> mismatch(String predicateType, JsonNode predicate) {
            Optional<String> actual = SlsaFields.buildType(predicateType, predicate);
            return actual.filter(expected::equals).isPresent() ? Optional.empty() : Optional.of(describe("build type", actual, "is not", expected));
        }
    }

    private static void requireValue(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is empty");
        }
    }

    private static String describe(String what, Optional<String> actual, String relation, String expected) {
        return actual.map(value -> "the " + what + " '" + value + "' " + relation + " '" + expected + "'")
                .orElse("the predicate has no " + what + "; required: '" + expected + "'");
    }
}
