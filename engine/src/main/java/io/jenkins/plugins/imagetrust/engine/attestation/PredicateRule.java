package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaFields;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * A simple rule on an SLSA provenance predicate (v1 or v0.2), on a fact {@link SlsaFields} reads. Values are compared
 * exactly, case included; an absent field fails every rule.
 *
 * @param field which fact and how it is compared
 * @param expected the value the policy gave (a source repository without its {@code git+} prefix)
 */
public record PredicateRule(Field field, String expected) {
    /** The rules a policy file can name, by their field name there. */
    public enum Field {
        /** {@code builderId}: the builder id equals the value. */
        BUILDER_ID("builderId", "builder id", SlsaFields::builderId, String::equals, "is not", AttestationReason.BUILDER_ID_MISMATCH),
        /** {@code builderIdPrefix}: the builder id starts with the value (e.g. "this controller": its root URL). */
        BUILDER_ID_PREFIX("builderIdPrefix", "builder id", SlsaFields::builderId, String::startsWith, "does not start with",
                AttestationReason.BUILDER_ID_MISMATCH),
        /** {@code sourceRepository}: the source repository ({@link SlsaFields#sourceRepository}) equals the value. */
        SOURCE_REPOSITORY("sourceRepository", "source repository", SlsaFields::sourceRepository, String::equals, "is not",
                AttestationReason.SOURCE_REPOSITORY_MISMATCH),
        /** {@code buildType}: the build type equals the value. */
        BUILD_TYPE("buildType", "build type", SlsaFields::buildType, String::equals, "is not", AttestationReason.BUILD_TYPE_MISMATCH);

        private final String policyName;
        private final String description;
        private final BiFunction<String, JsonNode, Optional<String>> reader;
        private final BiPredicate<String, String> test;
        private final String relation;
        private final AttestationReason reason;

        Field(String policyName, String description, BiFunction<String, JsonNode, Optional<String>> reader, BiPredicate<String, String> test,
                String relation, AttestationReason reason) {
            this.policyName = policyName;
            this.description = description;
            this.reader = reader;
            this.test = test;
            this.relation = relation;
            this.reason = reason;
        }

        /** The field's name in a policy file. */
        public String policyName() {
            return policyName;
        }

        /** The reason a predicate failing this rule gets. */
        public AttestationReason reason() {
            return reason;
        }

        /** The fields by their policy names, in the order they are read and written. */
        public static List<String> policyNames() {
            return Arrays.stream(values()).map(Field::policyName).toList();
        }

        /** The field a policy name stands for. */
        public static Optional<Field> byPolicyName(String name) {
            return Arrays.stream(values()).filter(field -> field.policyName.equals(name)).findFirst();
        }
    }

    public PredicateRule {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, field.policyName);
        if (expected.isBlank()) {
            throw new IllegalArgumentException(field.policyName + " is empty");
        }
        if (field == Field.SOURCE_REPOSITORY) {
            expected = SlsaFields.withoutGitPrefix(expected);
            if (!SlsaFields.withoutGitPrefix(expected).equals(expected)) {
                // written back it would lose the second prefix too: one value, one meaning
                throw new IllegalArgumentException(field.policyName + " " + JsonText.quoted(expected) + " still starts with git+ without its git+ prefix");
            }
        }
    }

    /** Empty when {@code predicate} satisfies the rule, else what it has instead (one line). */
    public Optional<String> mismatch(String predicateType, JsonNode predicate) {
        Optional<String> actual = field.reader.apply(predicateType, predicate);
        if (actual.filter(value -> field.test.test(value, expected)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(actual.map(value -> "the " + field.description + " " + JsonText.quoted(value) + " " + field.relation + " "
                + JsonText.quoted(expected)).orElse("the predicate has no " + field.description + "; required: " + JsonText.quoted(expected)));
    }

    /** The reason a predicate failing this rule gets. */
    public AttestationReason reason() {
        return field.reason;
    }
}
