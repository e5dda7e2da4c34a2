package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.SigstoreConformanceCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bundle-verification case of the Sigstore conformance suite through {@link BundleVerifier}, with its reason. */
class SigstoreConformanceTest {
    private static final java.util.concurrent.atomic.AtomicInteger PASSED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger REJECTED = new java.util.concurrent.atomic.AtomicInteger();

    static Stream<SigstoreConformanceCases.Case> cases() {
        return SigstoreConformanceCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseVerifiesOrIsRejectedForItsReason(SigstoreConformanceCases.Case testCase) throws Exception {
        if (SigstoreConformanceCases.UNREADABLE_KEY.contains(testCase.name())) {
            assertThatThrownBy(() -> verify(testCase)).isInstanceOf(KeyException.class).hasMessageContaining("malformed");
            REJECTED.incrementAndGet();
            return;
        }
        SigstoreReason reason = null;
        String message = null;
        try {
            verify(testCase);
        } catch (SigstoreException e) {
            reason = e.reason();
            message = e.getMessage();
        }
        if (testCase.mustPass()) {
            assertThat(reason).as("%s must verify, but was rejected: %s", testCase, message).isNull();
            PASSED.incrementAndGet();
        } else {
            if (reason == null) {
                fail(testCase + " must be rejected (" + testCase.expectedReason().get() + "), but it verified");
            }
            assertThat(reason).as("%s was rejected, but for another reason: %s", testCase, message).isEqualTo(testCase.expectedReason().get());
            assertThat(message).doesNotContain("\n");
            System.out.println(testCase + ": " + reason + ": " + message);
            REJECTED.incrementAndGet();
        }
    }

    @Test
    void theSuiteHasCasesOfBothKinds() {
        List<SigstoreConformanceCases.Case> all = SigstoreConformanceCases.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(50);
        assertThat(all).anyMatch(SigstoreConformanceCases.Case::mustPass).anyMatch(c -> !c.mustPass());
        assertThat(SigstoreConformanceCases.EXPECTED_REASONS.keySet())
                .as("every reason in the table belongs to a case of index.json")
                .allMatch(name -> all.stream().anyMatch(c -> c.name().equals(name)));
        assertThat(all).filteredOn(c -> !c.mustPass())
                .allMatch(c -> c.expectedReason().isPresent() != SigstoreConformanceCases.UNREADABLE_KEY.contains(c.name()));
    }

    @AfterAll
    static void report() {
        System.out.println("Sigstore conformance: " + PASSED.get() + " cases verified, " + REJECTED.get()
                + " cases rejected for their expected reason (or an unreadable key)");
    }

    static VerifiedBundle verify(SigstoreConformanceCases.Case testCase) throws Exception {
        TrustedRoot root = TrustedRoot.parse(Files.readAllBytes(testCase.trustedRoot()));
        Bundle bundle = Bundle.parse(Files.readAllBytes(testCase.bundle()));
        SignerPolicy policy = testCase.key().isPresent()
                ? new SignerPolicy.ManagedKey(PublicKeys.parse(Files.readString(testCase.key().get(), StandardCharsets.UTF_8)))
                : new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(testCase.identity()), SignerPolicy.Matcher.exact(testCase.issuer()));
        return new BundleVerifier(root).verify(bundle, policy, Digest.sha256(Files.readAllBytes(testCase.artifact())));
    }
}
