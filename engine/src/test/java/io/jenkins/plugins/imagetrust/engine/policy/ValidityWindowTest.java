package io.jenkins.plugins.imagetrust.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.sigstore.SignerPolicy;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one validity rule of trusted keys and trusted identities: notBefore inclusive, notAfter exclusive, revocation first. */
class ValidityWindowTest {
    static final Instant FROM = Instant.parse("2026-03-01T12:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-03-01T13:00:00Z");

    @Test
    void theStartIsInclusiveAndTheEndExclusive() {
        ValidityWindow window = ValidityWindow.of(FROM, UNTIL, false);
        assertThat(window.problemAt(FROM.minusMillis(1))).contains(ValidityWindow.Problem.NOT_YET_VALID);
        assertThat(window.problemAt(FROM)).isEmpty();
        assertThat(window.problemAt(UNTIL.minusMillis(1))).isEmpty();
        assertThat(window.problemAt(UNTIL)).contains(ValidityWindow.Problem.EXPIRED);
    }

    @Test
    void revocationIsCheckedBeforeTheWindow() {
        ValidityWindow revoked = ValidityWindow.of(FROM, UNTIL, true);
        assertThat(revoked.problemAt(FROM)).contains(ValidityWindow.Problem.REVOKED);
        assertThat(revoked.problemAt(FROM.minusSeconds(1))).contains(ValidityWindow.Problem.REVOKED);
        assertThat(revoked.problemAt(UNTIL)).contains(ValidityWindow.Problem.REVOKED);
        assertThat(revoked.describeAt(FROM)).isEqualTo("is revoked");
    }

    @Test
    void aMissingBoundIsOpen() {
        assertThat(ValidityWindow.ALWAYS.problemAt(Instant.MIN)).isEmpty();
        assertThat(ValidityWindow.ALWAYS.problemAt(Instant.MAX)).isEmpty();
        assertThat(ValidityWindow.of(null, UNTIL, false).problemAt(Instant.MIN)).isEmpty();
        assertThat(ValidityWindow.of(FROM, null, false).problemAt(Instant.MAX)).isEmpty();
        assertThat(ValidityWindow.of(null, UNTIL, false).describeAt(FROM))
                .isEqualTo("is valid from -∞ until 2026-03-01T13:00:00Z (exclusive), and now is 2026-03-01T12:00:00Z");
    }

    @Test
    void anEmptyWindowIsRefusedWithBothBoundsNamed() {
        assertThatThrownBy(() -> ValidityWindow.of(FROM, FROM, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("2026-03-01T12:00:00Z", "not before", "exclusive");
        assertThatThrownBy(() -> ValidityWindow.of(UNTIL, FROM, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ValidityWindow.of(FROM, FROM.plusNanos(1), false).problemAt(FROM)).isEmpty();
    }

    @Test
    void boundsAreDatesOrInstants() {
        assertThat(ValidityWindow.parseTime("2026-03-01")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(ValidityWindow.parseTime("2026-03-01T14:00:00+01:00")).isEqualTo(UNTIL);
        assertThatThrownBy(() -> ValidityWindow.parseTime("soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'soon'");
    }

    @Test
    void keysAndIdentitiesFollowTheSameRuleEachWithItsOwnReasons() throws Exception {
        TrustedRoot root = TrustedRoot.parse(new TestSigstore(FROM).trustedRootJson());
        TrustedKey key = TrustedKey.builder("release", ecKey()).notBefore(FROM).notAfter(UNTIL).build();
        TrustedIdentity identity = TrustedIdentity.builder("workflow",
                        new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact("s"), SignerPolicy.Matcher.exact("i")),
                        "test", root)
                .notBefore(FROM).notAfter(UNTIL).build();
        assertThat(key.window()).isEqualTo(identity.window());
        for (Instant at : new Instant[] {FROM.minusSeconds(1), FROM, UNTIL.minusSeconds(1), UNTIL}) {
            Optional<ValidityWindow.Problem> problem = key.window().problemAt(at);
            assertThat(key.unusableAt(at).map(Enum::name)).isEqualTo(problem.map(p -> "KEY_" + p.name()));
            assertThat(identity.unusableAt(at).map(Enum::name)).isEqualTo(problem.map(p -> "IDENTITY_" + p.name()));
        }
        assertThat(TrustedKey.builder("old", ecKey()).revoked(true).build().unusableAt(FROM)).contains(RejectionReason.KEY_REVOKED);
        assertThatThrownBy(() -> TrustedIdentity.builder("workflow", identity.identity(), "test", root)
                        .notBefore(UNTIL).notAfter(UNTIL).build())
                .hasMessageStartingWith("identity 'workflow': notBefore");
    }

    private static PublicKey ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPublic();
    }
}
