package io.jenkins.plugins.imagetrust.engine.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.keys.KeyAlgorithm;
import io.jenkins.plugins.imagetrust.engine.keys.KeyPairs;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyException;
import io.jenkins.plugins.imagetrust.engine.policy.PolicyFiles;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code requiredAttestations} in a policy file: read, judged against the file's keys, written back. */
class PolicyFileAttestationsTest {
    private static String policy(String requiredAttestations) throws Exception {
        String pem = PublicKeys.toPem(KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPublic());
        return "keys:\n  - name: release\n    publicKey: |\n" + pem.lines().map(line -> "      " + line + "\n").reduce("", String::concat)
                + requiredAttestations;
    }

    @Test
    void aYamlPolicyCarriesItsRequiredAttestationsThroughARoundTrip() throws Exception {
        TrustPolicy read = PolicyFiles.parse(policy("""
                requiredAttestations:
                  - predicateType: slsaprovenance1
                    keys: [release]
                    builderIdPrefix: https://ci.example/
                  - predicateType: spdxjson
                """), null);

        List<AttestationRequirement> requirements = AttestationRequirement.of(read);
        assertThat(requirements).extracting(AttestationRequirement::predicateType).containsExactly(PredicateTypes.SLSA_PROVENANCE_V1, PredicateTypes.SPDX);
        assertThat(requirements.get(0).keys()).containsExactly("release");
        assertThat(AttestationRequirement.of(PolicyFiles.parse(PolicyFiles.toYaml(read), null))).isEqualTo(requirements);
        assertThat(AttestationRequirement.of(PolicyFiles.parse(PolicyFiles.toJson(read), null))).isEqualTo(requirements);
    }

    @Test
    void noneIsAnEmptyListAndAMalformedOneIsAOneLineError() throws Exception {
        assertThat(AttestationRequirement.of(PolicyFiles.parse(policy(""), null))).isEmpty();
        assertThat(PolicyFiles.toJson(PolicyFiles.parse(policy(""), null))).doesNotContain("requiredAttestations");
        assertThatThrownBy(() -> PolicyFiles.parse(policy("requiredAttestations: slsaprovenance1\n"), null))
                .isInstanceOf(PolicyException.class).hasMessage("policy 'requiredAttestations' must be a list of requirements");
        TrustPolicy unknownKey = PolicyFiles.parse(policy("requiredAttestations:\n  - predicateType: spdxjson\n    keys: [nobody]\n"), null);
        assertThatThrownBy(() -> AttestationRequirement.of(unknownKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("requiredAttestations[0].keys").hasMessageNotContaining("\n");
    }
}
