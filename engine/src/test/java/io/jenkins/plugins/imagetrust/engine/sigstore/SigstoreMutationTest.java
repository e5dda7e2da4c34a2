package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.PublicKeys;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.SigstoreConformanceCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real bundles and roots, damaged: every conformance case's bundle and trusted root, with bytes flipped, removed or
 * cut off (a fixed seed, so a failure repeats), must parse and verify or be rejected with a {@link SigstoreException}
 * and a one-line message; never another exception. A damaged bundle that still verifies must prove the same facts.
 */
class SigstoreMutationTest {
    private static final int MUTATIONS_PER_FILE = 40;

    static Stream<SigstoreConformanceCases.Case> cases() {
        return SigstoreConformanceCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void damagedBundlesAndRootsAreRejectedCleanly(SigstoreConformanceCases.Case testCase) throws Exception {
        byte[] bundleBytes = Files.readAllBytes(testCase.bundle());
        byte[] rootBytes = Files.readAllBytes(testCase.trustedRoot());
        Digest artifact = Digest.sha256(Files.readAllBytes(testCase.artifact()));
        SignerPolicy policy;
        try {
            policy = testCase.key().isPresent()
                    ? new SignerPolicy.ManagedKey(PublicKeys.parse(Files.readString(testCase.key().get(), StandardCharsets.UTF_8)))
                    : new SignerPolicy.CertificateIdentity(SignerPolicy.Matcher.exact(testCase.identity()), SignerPolicy.Matcher.exact(testCase.issuer()));
        } catch (KeyException unreadableKey) {
            return; // the one case whose key does not parse has nothing to verify with
        }
        TrustedRoot root = TrustedRoot.parse(rootBytes);
        Random random = new Random(testCase.name().hashCode());
        for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
            byte[] damagedBundle = mutate(bundleBytes, random);
            try {
                VerifiedBundle verified = new BundleVerifier(root).verify(Bundle.parse(damagedBundle), policy, artifact);
                assertThat(testCase.mustPass()).as("a damaged copy of a failing case verified").isTrue();
                assertThat(verified.artifact()).isEqualTo(artifact);
            } catch (SigstoreException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
            try {
                TrustedRoot.parse(mutate(rootBytes, random));
            } catch (SigstoreException e) {
                assertThat(e.reason()).isEqualTo(SigstoreReason.MALFORMED_TRUSTED_ROOT);
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    /** One of: flip a byte, delete a run of bytes, cut the tail, or swap a base64 character for another. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(4)) {
            case 0:
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            case 1:
                int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
                byte[] shorter = new byte[bytes.length - length];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
                return shorter;
            case 2:
                return Arrays.copyOf(bytes, at);
            default:
                if (Character.isLetterOrDigit(bytes[at])) {
                    bytes[at] = (byte) (bytes[at] == 'A' ? 'B' : 'A');
                }
                return bytes;
        }
    }
}
