package io.jenkins.plugins.imagetrust.engine.notary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.HashMismatchException;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import io.jenkins.plugins.imagetrust.engine.notary.SignatureThresholdException;
import io.jenkins.plugins.imagetrust.engine.notary.TufSignatures;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TufModelInteropTest {
    /** Every test here reads the interop fixtures: without them, skip (loudly) before any test body runs. */
    @BeforeAll
    static void interopFixtures() {
        InteropFixtures.root();
    }


    private static SignedMetadata file(String relative, String role) throws MalformedMetadataException {
        return SignedMetadata.parse(role, InteropFixtures.bytes("notary/" + relative));
    }

    private static RootMetadata root(String gunDir) throws MalformedMetadataException {
        return RootMetadata.from(file(gunDir + "/root.json", "root"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata/hello", "metadata/pushsigned", "thirdparty"})
    void n1_everyRootKeyIdIsTheHashOfItsCanonicalKeyObject(String dir) throws Exception {
        RootMetadata root = root(dir);

        assertThat(root.keys()).hasSize(4);
        root.keys().forEach((id, key) -> {
            String recomputed = HexFormat.of().formatHex(sha256(CanonicalJson.encode(key.toJson())));
            assertThat(recomputed).isEqualTo(id).isEqualTo(key.id());
        });
    }

    @Test
    void n1_delegationKeyIdsToo() throws Exception {
        TargetsMetadata targets = TargetsMetadata.from(file("metadata/hello/targets.json", "targets"));

        assertThat(targets.delegationKeys()).containsOnlyKeys("064670a0eedff143d15ddc1bcdebe22fc9a9e45be938a034917bf10a863fa384");
        assertThat(targets.delegations()).extracting(DelegatedRole::name).containsExactlyInAnyOrder("targets/releases", "targets/labsigner");
        assertThat(targets.delegations()).allSatisfy(d -> {
            assertThat(d.paths()).containsExactly("");
            assertThat(d.keys().threshold()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "pushsigned"})
    void n2_serverKeyIdsOverTheCanonicalFormMatchRoot(String gun) throws Exception {
        RootMetadata root = root("metadata/" + gun);
        for (String role : List.of("snapshot", "timestamp")) {
            byte[] served = InteropFixtures.bytes("notary/metadata/" + gun + "/server-" + role + ".key.json");
            TufKey key = TufKey.fromJson(CanonicalJson.parse(served), role + ".key");

            assertThat(CanonicalJson.encode(key.toJson())).isNotEqualTo(served); // served: public before private
            assertThat(root.role(role).keyIds()).containsExactly(key.id());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "pushsigned"})
    void n8_n9_rootCertificateIsSelfSignedForTheGunAndItsBareIdIsTheDockerRootKey(String gun) throws Exception {
        RootMetadata root = root("metadata/" + gun);
        TufKey rootKey = root.keys().get(root.role("root").keyIds().get(0));
        X509Certificate certificate = rootKey.certificate().orElseThrow();

        assertThat(rootKey.type()).isEqualTo(KeyType.ECDSA_X509);
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=127.0.0.1:5001/lab/" + gun));
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays()).isEqualTo(3650);
        assertThat(certificate.getKeyUsage()).startsWith(true, false, true); // digitalSignature, keyEncipherment
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(rootKey.bareKeyId()).startsWith("895becee5b41").isNotEqualTo(rootKey.id());
    }

    @Test
    void n15_acceptsNanosecondAndWholeSecondExpiry() throws Exception {
        assertThat(root("metadata/hello").expires()).isEqualTo(Instant.parse("2036-11-22T07:17:30.060410706Z"));
        assertThat(root("thirdparty").expires()).isEqualTo(Instant.parse("2036-11-22T07:17:37Z"));
    }

    @Test
    void n11_versions() throws Exception {
        assertThat(file("metadata/hello/root.json", "root").version()).isEqualTo(1);
        assertThat(file("metadata/hello/targets.json", "targets").version()).isEqualTo(2);
        assertThat(file("metadata/hello/snapshot.json", "snapshot").version()).isEqualTo(2);
        assertThat(file("metadata/hello/timestamp.json", "timestamp").version()).isEqualTo(2);
        assertThat(file("metadata/hello/targets/releases.json", "targets/releases").version()).isEqualTo(1);
        assertThat(file("metadata/pushsigned/snapshot.json", "snapshot").version()).isEqualTo(1);
        assertThat(file("thirdparty/targets.json", "targets").version()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata/hello", "metadata/pushsigned"})
    void n3_everyTopLevelFileVerifiesUnderItsRoleKeys(String dir) throws Exception {
        RootMetadata root = root(dir);
        for (String role : RootMetadata.TOP_LEVEL_ROLES) {
            SignedMetadata signed = file(dir + "/" + role + ".json", role);
            assertThat(signed.signatures()).allSatisfy(s -> {
                assertThat(s.method()).isEqualTo(SignatureMethod.ECDSA);
                assertThat(s.value()).hasSize(64);
            });
            TufSignatures.requireThreshold(signed, root.keys(), root.role(role));
        }
    }

    @Test
    void n3_delegationsVerifyUnderTheKeysTargetsDelegates() throws Exception {
        TargetsMetadata targets = TargetsMetadata.from(file("metadata/hello/targets.json", "targets"));
        for (String role : List.of("targets/releases", "targets/labsigner")) {
            SignedMetadata signed = file("metadata/hello/" + role + ".json", role);
            TufSignatures.requireThreshold(signed, targets.delegationKeys(), targets.delegation(role).orElseThrow().keys());
        }
    }

    @Test
    void n6_snapshotAndTimestampRecordTheExactFiles() throws Exception {
        SnapshotMetadata snapshot = SnapshotMetadata.from(file("metadata/hello/snapshot.json", "snapshot"));
        for (String role : List.of("root", "targets", "targets/labsigner", "targets/releases")) {
            snapshot.meta(role).orElseThrow().verify(role, InteropFixtures.bytes("notary/metadata/hello/" + role + ".json"));
        }
        TimestampMetadata timestamp = TimestampMetadata.from(file("metadata/hello/timestamp.json", "timestamp"));
        timestamp.snapshot().verify("snapshot", InteropFixtures.bytes("notary/metadata/hello/snapshot.json"));
        assertThat(timestamp.snapshot().sha256Hex("snapshot")).startsWith("2ccb3078");
        assertThat(snapshot.meta("targets").orElseThrow().sha256Hex("targets")).startsWith("08e774a7");
    }

    @Test
    void n12_oneChangedCharacterBreaksSignatureAndSnapshotHash() throws Exception {
        RootMetadata root = root("metadata/hello");
        String text = InteropFixtures.text("notary/metadata/hello/targets.json");
        byte[] tampered = text.replace("\"version\":2", "\"version\":3").getBytes(StandardCharsets.UTF_8);
        SignedMetadata signed = SignedMetadata.parse("targets", tampered);

        assertThatThrownBy(() -> TufSignatures.requireThreshold(signed, root.keys(), root.role("targets")))
                .isInstanceOfSatisfying(SignatureThresholdException.class, e -> {
                    assertThat(e.role()).isEqualTo("targets");
                    assertThat(e.required()).isEqualTo(1);
                    assertThat(e.valid()).isZero();
                });
        SnapshotMetadata snapshot = SnapshotMetadata.from(file("metadata/hello/snapshot.json", "snapshot"));
        assertThatThrownBy(() -> snapshot.meta("targets").orElseThrow().verify("targets", tampered))
                .isInstanceOfSatisfying(HashMismatchException.class, e -> assertThat(e.algorithm()).isEqualTo("sha256"));
    }

    @Test
    void n7_targetHashesAreBase64OfTheRawDigest() throws Exception {
        TargetsMetadata releases = TargetsMetadata.from(file("metadata/hello/targets/releases.json", "targets/releases"));
        FileMeta signed = releases.targets().get("signed");

        assertThat(signed.length()).isEqualTo(524);
        assertThat(HexFormat.of().formatHex(signed.hashes().get("sha256")))
                .isEqualTo("cbd0daad951e12d6398fe6dbce4764d2132c4e077959b1845fd2dd39fd55e6f5");
    }

    @Test
    void rejectsAFractionInsideSigned() {
        String text = InteropFixtures.text("notary/thirdparty/targets.json").replace("\"length\":524", "\"length\":524.5");

        assertThatThrownBy(() -> SignedMetadata.parse("targets", text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMetadataException.class)
                .hasMessageContaining("targets")
                .hasMessageContaining("524.5");
    }

    @Test
    void rejectsAControlCharacterInATargetName() throws Exception {
        String text = InteropFixtures.text("notary/thirdparty/targets.json").replace("\"v1\":", "\"v1\\u0007\":");
        SignedMetadata signed = SignedMetadata.parse("targets", text.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> TargetsMetadata.from(signed))
                .isInstanceOf(MalformedMetadataException.class)
                .hasMessageContaining("control character");
    }

    @Test
    void rejectsAKeyListedUnderAnotherId() {
        String text = InteropFixtures.text("notary/thirdparty/root.json").replaceFirst("\"148a50ec", "\"048a50ec");

        assertThatThrownBy(() -> RootMetadata.from(SignedMetadata.parse("root", text.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(MalformedMetadataException.class)
                .hasMessageContaining("048a50ec");
    }

    @Test
    void rejectsTheWrongTypeAndClearlyNamesMissingFields() {
        assertThatThrownBy(() -> TargetsMetadata.from(file("thirdparty/root.json", "targets")))
                .hasMessageContaining("_type is 'Root', expected 'Targets'");
        assertThatThrownBy(() -> SignedMetadata.parse("timestamp", "{\"signed\":{}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'signatures' must be an array");
        assertThatThrownBy(() -> SignedMetadata.parse("timestamp", "{\"signed\":{\"_type\":\"Timestamp\"},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'version' must be a non-negative integer");
        assertThatThrownBy(() -> SignedMetadata.parse("timestamp", "not json".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("malformed timestamp metadata: not valid JSON");
    }

    @Test
    void typedBodiesWriteBackTheSameCanonicalBytes() throws Exception {
        for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
            SignedMetadata signed = file("metadata/hello/" + role + ".json", role);
            Object typed = switch (role) {
                case "root" -> RootMetadata.from(signed).toJson();
                case "targets" -> TargetsMetadata.from(signed).toJson();
                case "snapshot" -> SnapshotMetadata.from(signed).toJson();
                default -> TimestampMetadata.from(signed).toJson();
            };
            // Only expires differs in form (docker's nanoseconds vs ISO_INSTANT's groups of three); compare the rest.
            String ours = new String(CanonicalJson.encode((com.fasterxml.jackson.databind.JsonNode) typed), StandardCharsets.UTF_8);
            String theirs = new String(signed.canonicalSigned(), StandardCharsets.UTF_8);
            assertThat(ours.replaceAll("\"expires\":\"[^\"]*\"", "")).isEqualTo(theirs.replaceAll("\"expires\":\"[^\"]*\"", ""));
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
