package io.jenkins.plugins.imagetrust.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.sigstore.SigstoreReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;

/**
 * The bundle-verification cases of the Sigstore conformance suite in {@code shared/interop/sigstore-conformance/}
 * (its README says how a case is laid out), with the reason each {@code _fail} case must be rejected for. The
 * reasons are ours: read from the case's name and from what its bundle changes against the happy path.
 */
public final class SigstoreConformanceCases {
    /** The identity and issuer a case expects when it names none (the suite's README). */
    public static final String DEFAULT_IDENTITY =
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    public static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

    /** Why each failing case must be rejected. */
    public static final Map<String, SigstoreReason> EXPECTED_REASONS = expectedReasons();

    /**
     * Cases whose input the caller gives cannot be read before any verification: the key of managed-key-wrong-key
     * is not a point on P-256 (its base64 ends in "wrongkey"). The CLI reports these as unreadable input (exit 1).
     */
    public static final java.util.Set<String> UNREADABLE_KEY = java.util.Set.of("managed-key-wrong-key_fail");

    /** One case: its folder and what the suite expects. */
    public record Case(String name, boolean mustPass, Path dir, Path bundle, Path artifact, Path trustedRoot, Optional<Path> key,
            String identity, String issuer) {
        /** The reason a failing case must be rejected for; empty for a passing case. */
        public Optional<SigstoreReason> expectedReason() {
            return Optional.ofNullable(EXPECTED_REASONS.get(name));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private SigstoreConformanceCases() {
    }

    public static Path dir() {
        return InteropFixtures.root().resolve("sigstore-conformance");
    }

    /** Every case of {@code index.json}, in its order; a failing case without a reason in the table is a test failure. */
    public static List<Case> all() {
        Path dir = dir();
        JsonNode index;
        try {
            index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : index.get("cases")) {
            String name = node.get("case").asText();
            boolean mustPass = "pass".equals(node.get("expect").asText());
            Assertions.assertEquals(mustPass, !name.endsWith("_fail"), name + ": the index and the name disagree");
            if (!mustPass && !EXPECTED_REASONS.containsKey(name) && !UNREADABLE_KEY.contains(name)) {
                Assertions.fail("conformance case " + name + " has no expected reason in the table");
            }
            Path caseDir = dir.resolve("cases").resolve(name);
            cases.add(new Case(name, mustPass, caseDir, caseDir.resolve("bundle.sigstore.json"),
                    existing(caseDir.resolve("artifact")).orElse(dir.resolve("cases").resolve("a.txt")),
                    existing(caseDir.resolve("trusted_root.json")).orElse(dir.resolve("production_trusted_root.json")),
                    existing(caseDir.resolve("key.pub")),
                    existing(caseDir.resolve("identity")).map(SigstoreConformanceCases::firstLine).orElse(DEFAULT_IDENTITY),
                    existing(caseDir.resolve("issuer")).map(SigstoreConformanceCases::firstLine).orElse(DEFAULT_ISSUER)));
        }
        return cases;
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, SigstoreReason> expectedReasons() {
        Map<String, SigstoreReason> reasons = new TreeMap<>();
        reasons.put("bundle-empty-certificate-chain_fail", SigstoreReason.MALFORMED_BUNDLE);
        // Certificate and log entry both come from another Sigstore instance; the log entry is checked first.
        reasons.put("bundle-from-wrong-instance_fail", SigstoreReason.TLOG_UNTRUSTED);
        reasons.put("bundle-invalid-base64-signature_fail", SigstoreReason.MALFORMED_BUNDLE);
        reasons.put("bundle-negative-log-index_fail", SigstoreReason.MALFORMED_BUNDLE);
        reasons.put("bundle-unknown-version_fail", SigstoreReason.UNSUPPORTED_BUNDLE_VERSION);
        reasons.put("bundle-with-root-cert_fail", SigstoreReason.MALFORMED_BUNDLE);
        reasons.put("checkpoint-bad-keyhint_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("checkpoint-wrong-roothash_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("dsse-invalid-sig_fail", SigstoreReason.SIGNATURE_INVALID);
        reasons.put("dsse-mismatch-sig_fail", SigstoreReason.TLOG_ENTRY_MISMATCH);
        reasons.put("inclusion-proof-corrupted-hash_fail", SigstoreReason.INCLUSION_PROOF_INVALID);
        reasons.put("integrated-time-in-future_fail", SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        reasons.put("intoto-expired-certificate_fail", SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        reasons.put("intoto-log-entry-mismatch_fail", SigstoreReason.TLOG_ENTRY_MISMATCH);
        reasons.put("intoto-set-outside-signing-cert-validity_fail", SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        reasons.put("intoto-tsa-timestamp-outside-cert-validity_fail", SigstoreReason.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME);
        reasons.put("invalid-ct-key_fail", SigstoreReason.SCT_INVALID);
        reasons.put("invalid-inclusion-proof_fail", SigstoreReason.INCLUSION_PROOF_INVALID);
        reasons.put("managed-key-no-key_fail", SigstoreReason.WRONG_MATERIAL);
        reasons.put("message-digest-mismatch_fail", SigstoreReason.ARTIFACT_MISMATCH);
        reasons.put("rekor2-checkpoint-missing-log-signature_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("rekor2-checkpoint-missing-origin_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("rekor2-checkpoint-missing-root-hash_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("rekor2-checkpoint-no-matching-signature_fail", SigstoreReason.CHECKPOINT_INVALID);
        reasons.put("rekor2-dsse-invalid-sig_fail", SigstoreReason.SIGNATURE_INVALID);
        reasons.put("rekor2-dsse-mismatch-sig_fail", SigstoreReason.TLOG_ENTRY_MISMATCH);
        reasons.put("rekor2-no-inclusion-proof_fail", SigstoreReason.MALFORMED_BUNDLE);
        reasons.put("rekor2-timestamp-outside-trust-root-tsa-validity_fail", SigstoreReason.TIMESTAMP_UNTRUSTED);
        reasons.put("rekor2-timestamp-outside-tsa-cert-validity_fail", SigstoreReason.TIMESTAMP_UNTRUSTED);
        reasons.put("rekor2-timestamp-payload-mismatch_fail", SigstoreReason.TIMESTAMP_INVALID);
        reasons.put("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", SigstoreReason.TIMESTAMP_UNTRUSTED);
        reasons.put("set-invalid-signature_fail", SigstoreReason.SET_INVALID);
        reasons.put("signature-mismatch_fail", SigstoreReason.SIGNATURE_INVALID);
        reasons.put("wrong-hashedrekord-artifact_fail", SigstoreReason.TLOG_ENTRY_MISMATCH);
        reasons.put("wrong-hashedrekord-entry_fail", SigstoreReason.TLOG_ENTRY_MISMATCH);
        reasons.put("wrong-material_fail", SigstoreReason.ARTIFACT_MISMATCH);
        return Map.copyOf(reasons);
    }
}
