package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.keys.InMemorySigner;
import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.provenance.JenkinsBuild;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.provenance.SlsaProvenance;
import io.jenkins.plugins.imagetrust.engine.provenance.SourceRevision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttestationRequirementTest {
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final String JOB = "https://ci.example/job/team/job/app/";
    private static final String REPOSITORY = "https://git.example/team/app.git";
    private static final Set<String> KEY_NAMES = Set.of("release", "security");
    private static Signer release;
    private static Signer security;
    private static List<TrustedKey> keys;

    @BeforeAll
    static void keys() throws Exception {
        release = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ECDSA_P256));
        security = new InMemorySigner(KeyPairs.generate(KeyAlgorithm.ED25519));
        keys = List.of(TrustedKey.builder("release", release.publicKey()).build(), TrustedKey.builder("security", security.publicKey()).build());
    }

    @AfterAll
    static void close() {
        release.close();
        security.close();
    }

    private static ObjectNode provenance(String builderId, String repository) {
        return SlsaProvenance.predicate(new JenkinsBuild(builderId, builderId + "42/", "team/app", NOW.minusSeconds(60), NOW,
                Optional.of(new SourceRevision(repository, Optional.of("refs/heads/main"), "0123456789abcdef0123456789abcdef01234567")), Map.of(),
                "2.541.3", "1.0.0", List.of()));
    }

    private static VerifiedAttestation attest(Signer signer, String predicateType, ObjectNode predicate) throws Exception {
        byte[] statement = Statement.write(List.of(Subject.of(StatementTest.IMAGE, StatementTest.AMD64)), predicateType, predicate);
        AttestationOutcome outcome = AttestationVerifier.verify(Envelope.signStatement(signer, statement), StatementTest.AMD64, keys, NOW,
                Set.of(predicateType));
        return (VerifiedAttestation) outcome;
    }

    private static List<AttestationRequirement> parse(String yaml) throws Exception {
        JsonNode root = JsonMappers.yamlNoDuplicateKeys().readTree(yaml);
        return AttestationRequirement.parse(root.get(AttestationRequirement.POLICY_FIELD), KEY_NAMES);
    }

    @Test
    void parsesThePolicySyntax() throws Exception {
        List<AttestationRequirement> requirements = parse("""
                requiredAttestations:
                  - predicateType: slsaprovenance1
                    keys: [release]
                    builderIdPrefix: https://ci.example/
                    builderId: https://ci.example/job/team/job/app/
                    sourceRepository: git+https://git.example/team/app.git
                    buildType: https://github.com/jenkinsci/image-trust-plugin/blob/main/docs/provenance.md#jenkins-pipeline-build-type-v1
                  - predicateType: https://spdx.dev/Document
                    threshold: 2
                """);

        assertThat(requirements).hasSize(2);
        AttestationRequirement provenance = requirements.get(0);
        assertThat(provenance.predicateType()).isEqualTo(PredicateTypes.SLSA_PROVENANCE_V1);
        assertThat(provenance.threshold()).isEqualTo(1);
        assertThat(provenance.keys()).containsExactly("release");
        assertThat(provenance.rules()).extracting(rule -> rule.field().policyName()).containsExactly("builderId", "builderIdPrefix", "sourceRepository", "buildType");
        assertThat(provenance.rules().get(2).expected()).isEqualTo(REPOSITORY); // git+ is dropped
        assertThat(requirements.get(1).threshold()).isEqualTo(2);
        assertThat(AttestationRequirement.predicateTypes(requirements)).containsExactly(PredicateTypes.SLSA_PROVENANCE_V1, PredicateTypes.SPDX);

        // written back and read again: the same requirements
        JsonNode written = AttestationRequirement.toJsonTree(requirements);
        assertThat(AttestationRequirement.parse(written, KEY_NAMES)).isEqualTo(requirements);
        // plain Java values (what another YAML reader gives) read the same
        assertThat(AttestationRequirement.parse((Object) List.of(Map.of("predicateType", "spdxjson", "threshold", 2)), KEY_NAMES))
                .containsExactly(requirements.get(1));
        assertThat(AttestationRequirement.parse((JsonNode) null, KEY_NAMES)).isEmpty();
    }

    @Test
    void badPolicyFragmentsAreOneLineErrorsNamingTheField() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("requiredAttestations: {predicateType: x}", "requiredAttestations: must be a list");
        cases.put("requiredAttestations: [slsaprovenance1]", "requiredAttestations[0]: must be an object");
        cases.put("requiredAttestations: [{threshold: 1}]", "requiredAttestations[0].predicateType: required");
        cases.put("requiredAttestations: [{predicateType: spdx-json}]", "requiredAttestations[0]: predicate type \"spdx-json\" is neither");
        cases.put("requiredAttestations: [{predicateType: spdx, treshold: 1}]", "requiredAttestations[0]: unknown field \"treshold\"");
        cases.put("requiredAttestations: [{predicateType: spdx, threshold: 0}]", "requiredAttestations[0].threshold: must be a whole number");
        cases.put("requiredAttestations: [{predicateType: spdx, threshold: 1.5}]", "requiredAttestations[0].threshold");
        cases.put("requiredAttestations: [{predicateType: spdx, threshold: 3}]", "requiredAttestations[0].threshold: 3 can never be met");
        cases.put("requiredAttestations: [{predicateType: spdx, keys: [release], threshold: 2}]", "requiredAttestations[0]: threshold 2 can never");
        cases.put("requiredAttestations: [{predicateType: spdx, keys: release}]", "requiredAttestations[0].keys: must be a list");
        cases.put("requiredAttestations: [{predicateType: spdx, keys: [nobody]}]", "requiredAttestations[0].keys: \"nobody\" is not a trusted key");
        cases.put("requiredAttestations: [{predicateType: spdx, keys: [release, release]}]", "names a key twice");
        cases.put("requiredAttestations: [{predicateType: spdx, builderId: x}]", "requiredAttestations[0]: field rules (builderId) apply to SLSA");
        cases.put("requiredAttestations: [{predicateType: slsaprovenance1, builderId: ''}]", "requiredAttestations[0].builderId: must be a non-empty");
        cases.put("requiredAttestations: [{predicateType: slsaprovenance1, sourceRepository: 'git+git+https://x'}]",
                "requiredAttestations[0]: sourceRepository \"git+https://x\" still starts with git+");
        cases.put("requiredAttestations: [{predicateType: slsaprovenance1}, {predicateType: slsaprovenance1, buildType: [x]}]",
                "requiredAttestations[1].buildType");
        cases.forEach((yaml, expected) -> assertThatThrownBy(() -> parse(yaml)).as(yaml).isInstanceOfSatisfying(IllegalArgumentException.class,
                e -> assertThat(e.getMessage()).contains(expected).doesNotContain("\n")));
    }

    @Test
    void aMatchingProvenanceSatisfiesEveryRule() throws Exception {
        AttestationRequirement requirement = parse("requiredAttestations: [{predicateType: slsaprovenance1, builderId: '" + JOB
                + "', builderIdPrefix: 'https://ci.example/', sourceRepository: '" + REPOSITORY + "', buildType: '"
                + SlsaProvenance.JENKINS_PIPELINE_BUILD_TYPE + "'}]").get(0);

        RequirementResult result = requirement.evaluate(List.of(attest(release, PredicateTypes.SLSA_PROVENANCE_V1, provenance(JOB, REPOSITORY))));
        assertThat(result.satisfied()).isTrue();
        assertThat(result.reason()).isEmpty();
        assertThat(result.countedKeys()).containsExactly(release.keyId());
        assertThat(result.findings()).singleElement().satisfies(f -> assertThat(f.counted()).isTrue());
    }

    @Test
    void eachRuleFailsWithItsReason() throws Exception {
        VerifiedAttestation other = attest(release, PredicateTypes.SLSA_PROVENANCE_V1,
                provenance("https://ci.evil/job/team/job/app/", "https://git.example/team/app-fork.git"));
        Map<String, AttestationReason> rules = Map.of(
                "builderId: '" + JOB + "'", AttestationReason.BUILDER_ID_MISMATCH,
                "builderIdPrefix: 'https://ci.example/'", AttestationReason.BUILDER_ID_MISMATCH,
                "sourceRepository: '" + REPOSITORY + "'", AttestationReason.SOURCE_REPOSITORY_MISMATCH,
                "buildType: 'https://example/other-type'", AttestationReason.BUILD_TYPE_MISMATCH);
        for (Map.Entry<String, AttestationReason> rule : rules.entrySet()) {
            AttestationRequirement requirement = parse("requiredAttestations: [{predicateType: slsaprovenance1, " + rule.getKey() + "}]").get(0);
            RequirementResult result = requirement.evaluate(List.of(other));
            assertThat(result.satisfied()).as(rule.getKey()).isFalse();
            assertThat(result.reason()).contains(AttestationReason.ATTESTATION_THRESHOLD_NOT_MET);
            assertThat(result.findings()).singleElement().satisfies(f -> {
                assertThat(f.reason()).contains(rule.getValue());
                assertThat(f.detail()).startsWith(requirement.rules().get(0).field().policyName() + ": ");
            });
        }
    }

    @Test
    void keysThresholdAndDuplicatesCountLikeSignatures() throws Exception {
        ObjectNode predicate = provenance(JOB, REPOSITORY);
        VerifiedAttestation byRelease = attest(release, PredicateTypes.SLSA_PROVENANCE_V1, predicate);
        VerifiedAttestation byReleaseAgain = attest(release, PredicateTypes.SLSA_PROVENANCE_V1, predicate);
        VerifiedAttestation bySecurity = attest(security, PredicateTypes.SLSA_PROVENANCE_V1, predicate);
        VerifiedAttestation sbom = attest(security, PredicateTypes.SPDX, predicate);

        AttestationRequirement two = new AttestationRequirement("slsaprovenance1", 2, List.of(), List.of());
        RequirementResult short1 = two.evaluate(List.of(byRelease, byReleaseAgain, sbom));
        assertThat(short1.satisfied()).isFalse();
        assertThat(short1.reason()).contains(AttestationReason.ATTESTATION_THRESHOLD_NOT_MET);
        assertThat(short1.findings()).extracting(AttestationFinding::reason)
                .containsExactly(Optional.empty(), Optional.of(AttestationReason.DUPLICATE_KEY)); // the SBOM is not looked at
        assertThat(two.evaluate(List.of(byRelease, byReleaseAgain, bySecurity)).satisfied()).isTrue();

        AttestationRequirement securityOnly = new AttestationRequirement(PredicateTypes.SLSA_PROVENANCE_V1, 1, List.of("security"), List.of());
        RequirementResult notAllowed = securityOnly.evaluate(List.of(byRelease));
        assertThat(notAllowed.findings()).singleElement().satisfies(f -> assertThat(f.reason()).contains(AttestationReason.KEY_NOT_ALLOWED));
        assertThat(securityOnly.evaluate(List.of(byRelease, bySecurity)).countedKeys()).containsExactly(security.keyId());

        RequirementResult none = AttestationRequirement.of("spdxjson").evaluate(List.of(byRelease));
        assertThat(none.reason()).contains(AttestationReason.NO_ATTESTATION);
        assertThat(none.detail()).contains("no verified attestation of https://spdx.dev/Document");
    }

    @Test
    void thePolicyIsSatisfiedWhenEveryRequirementIsAndRejectedEnvelopesAreListed() throws Exception {
        VerifiedAttestation provenance = attest(release, PredicateTypes.SLSA_PROVENANCE_V1, provenance(JOB, REPOSITORY));
        RejectedAttestation rejected = new RejectedAttestation(AttestationReason.SIGNATURE_INVALID, "x", Optional.empty(), Optional.empty());
        List<AttestationRequirement> requirements = List.of(AttestationRequirement.of("slsaprovenance1"), AttestationRequirement.of("spdx"));

        AttestationEvaluation partly = AttestationEvaluation.evaluate(requirements, List.of(provenance, rejected));
        assertThat(partly.satisfied()).isFalse();
        assertThat(partly.results()).extracting(RequirementResult::satisfied).containsExactly(true, false);
        assertThat(partly.rejected()).containsExactly(rejected);

        assertThat(AttestationEvaluation.evaluate(requirements.subList(0, 1), List.of(provenance, rejected)).satisfied()).isTrue();
        assertThat(AttestationEvaluation.evaluate(List.of(), List.of()).satisfied()).isTrue();
    }
}
