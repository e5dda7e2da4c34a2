package io.jenkins.plugins.imagetrust.engine.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.notary.model.KeyType;
import io.jenkins.plugins.imagetrust.engine.notary.model.RoleNames;
import io.jenkins.plugins.imagetrust.engine.notary.model.RootMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.SignedMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TargetsMetadata;
import io.jenkins.plugins.imagetrust.engine.notary.model.TufKey;
import io.jenkins.plugins.imagetrust.engine.notary.store.Multipart;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class NotaryMetadataBuilderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T07:17:37Z");
    private static final Digest THIRDPARTY_DIGEST = Digest.parse("sha256:2a06dc9133ea090d9cd7a9c7a61e37e58640d4860d4475152e40fdaf923f87b9");

    private final Signer rootKey = TestSigners.ecdsa();
    private final Signer targetsKey = TestSigners.ecdsa();

    @Test
    void n14_producesTheThirdPartyStructureWithFreshKeys() throws Exception {
        SignedMetadata theirRootFile = SignedMetadata.parse("root", InteropFixtures.bytes("notary/thirdparty/root.json"));
        RootMetadata theirRoot = RootMetadata.from(theirRootFile);
        TufKey snapshotKey = theirRoot.keys().get(theirRoot.role(RoleNames.SNAPSHOT).keyIds().get(0));
        TufKey timestampKey = theirRoot.keys().get(theirRoot.role(RoleNames.TIMESTAMP).keyIds().get(0));
        SignedMetadata theirTargetsFile = SignedMetadata.parse("targets", InteropFixtures.bytes("notary/thirdparty/targets.json"));

        Multipart.Part root = NotaryMetadataBuilder.initialRoot(NotaryInterop.THIRDPARTY_GUN, rootKey, targetsKey, snapshotKey, timestampKey, NOW);
        Multipart.Part targets = NotaryMetadataBuilder.initialTargets("v1", NotaryMetadataBuilder.target(THIRDPARTY_DIGEST, 524), targetsKey, NOW);

        SignedMetadata ourRootFile = SignedMetadata.parse("root", root.body());
        SignedMetadata ourTargetsFile = SignedMetadata.parse("targets", targets.body());
        assertThat(shape(ourRootFile.signed())).isEqualTo(shape(theirRootFile.signed()));
        assertThat(shape(ourTargetsFile.signed())).isEqualTo(shape(theirTargetsFile.signed()));
        assertThat(new String(targets.body(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"signed\":{\"_type\":\"Targets\",\"delegations\":{\"keys\":{},\"roles\":[]},\"expires\":\"2029-11-24T07:17:37Z\",\"targets\":{\"v1\":{\"hashes\":{\"sha256\":\"")
                .contains(theirTargetsFile.signed().path("targets").path("v1").path("hashes").path("sha256").textValue());

        RootMetadata ourRoot = RootMetadata.from(ourRootFile);
        assertThat(ourRoot.keys()).containsKeys(snapshotKey.id(), timestampKey.id());
        assertThat(ourRoot.expires()).isEqualTo(theirRoot.expires());
        TufKey ourRootKey = ourRoot.keys().get(ourRoot.role(RoleNames.ROOT).keyIds().get(0));
        assertThat(ourRootKey.type()).isEqualTo(KeyType.ECDSA_X509);
        TufSignatures.requireThreshold(ourRootFile, ourRoot.keys(), ourRoot.role(RoleNames.ROOT));
        TufSignatures.requireThreshold(ourTargetsFile, ourRoot.keys(), ourRoot.role(RoleNames.TARGETS));
        assertThat(TargetsMetadata.from(ourTargetsFile).targets().get("v1").length()).isEqualTo(524);
    }

    @Test
    void rootCertificateIsWhatDockerMakes() throws Exception {
        X509Certificate certificate = NotaryRootCertificate.create(rootKey, NotaryInterop.THIRDPARTY_GUN, NOW);

        certificate.verify(rootKey.publicKey());
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + NotaryInterop.THIRDPARTY_GUN));
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays()).isEqualTo(3650);
        assertThat(certificate.getKeyUsage()).startsWith(true, false, true, false);
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.15", "2.5.29.19");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(TufKey.forCertificate(certificate).bareKeyId()).isEqualTo(TufKey.forPublicKey(rootKey.publicKey()).id());
    }

    @Test
    void refusesWhatNotaryCannotHold() {
        assertThatThrownBy(() -> NotaryRootCertificate.create(TestSigners.ed25519(), "a.b/c", NOW))
                .isInstanceOf(KeyException.class).hasMessageContaining("must be an ECDSA key");
        assertThatThrownBy(() -> NotaryMetadataBuilder.initialTargets("v1\n", NotaryMetadataBuilder.target(THIRDPARTY_DIGEST, 524), targetsKey, NOW))
                .isInstanceOf(MalformedMetadataException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> NotaryMetadataBuilder.target(Digest.of("sha512", new byte[1]), 1)).hasMessageContaining("sha256");
        assertThatThrownBy(() -> NotaryMetadataBuilder.target(THIRDPARTY_DIGEST, 0)).hasMessageContaining("positive");
    }

    /** The document with key ids, keys, hashes, signatures and times replaced by placeholders: its structure. */
    private static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> members = new TreeMap<>();
            java.util.List<String> byKeyId = new java.util.ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().matches("[0-9a-f]{64}")) {
                    byKeyId.add(shape(field.getValue()).toString()); // ids are random: compare the sorted entries
                } else {
                    members.put(field.getKey(), shape(field.getValue()));
                }
            }
            if (!byKeyId.isEmpty()) {
                java.util.Collections.sort(byKeyId);
                members.put("<entries by key id>", byKeyId);
            }
            return members;
        }
        if (node.isArray()) {
            java.util.List<Object> items = new java.util.ArrayList<>();
            node.forEach(item -> items.add(shape(item)));
            return items;
        }
        if (node.isTextual()) {
            return node.textValue().matches("[0-9a-f]{64}") ? "<key id>" : node.textValue().length() > 20 ? "<value>" : node.textValue();
        }
        return node.toString();
    }

    @Test
    void aRotatedRootReplacesOnlyTheRotatedRolesKeyAndIsSignedAsTheOldRootRequires() throws Exception {
        TufKey snapshotKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TufKey timestampKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        RootMetadata first = RootMetadata.from(SignedMetadata.parse("root",
                NotaryMetadataBuilder.initialRoot("reg/app", rootKey, targetsKey, snapshotKey, timestampKey, NOW).body()));
        String certificateKeyId = first.role(RoleNames.ROOT).keyIds().get(0);
        TufKey newTargetsKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());

        SignedMetadata rotatedFile = SignedMetadata.parse("root",
                NotaryMetadataBuilder.rotatedRoot(first, RoleNames.TARGETS, newTargetsKey, rootKey, certificateKeyId).body());
        RootMetadata rotated = RootMetadata.from(rotatedFile);

        assertThat(rotated.version()).isEqualTo(2);
        assertThat(rotated.expires()).isEqualTo(first.expires());
        assertThat(rotated.role(RoleNames.TARGETS).keyIds()).containsExactly(newTargetsKey.id());
        assertThat(rotated.keys()).containsOnlyKeys(certificateKeyId, newTargetsKey.id(), snapshotKey.id(), timestampKey.id());
        for (String role : java.util.List.of(RoleNames.ROOT, RoleNames.SNAPSHOT, RoleNames.TIMESTAMP)) {
            assertThat(rotated.role(role)).isEqualTo(first.role(role));
        }
        TufSignatures.requireThreshold(rotatedFile, first.keys(), first.role(RoleNames.ROOT));
        TufSignatures.requireThreshold(rotatedFile, rotated.keys(), rotated.role(RoleNames.ROOT));
    }

    @Test
    void aRotatedDelegationKeepsItsPathsAndTheOtherDelegations() throws Exception {
        TufKey releasesKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TufKey aliceKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TufKey newReleasesKey = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TargetsMetadata current = new TargetsMetadata(4, NOW, Map.of(), Map.of(releasesKey.id(), releasesKey, aliceKey.id(), aliceKey),
                java.util.List.of(new io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole(RoleNames.RELEASES,
                                new io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys(java.util.List.of(releasesKey.id()), 1), java.util.List.of("v")),
                        new io.jenkins.plugins.imagetrust.engine.notary.model.DelegatedRole("targets/alice",
                                new io.jenkins.plugins.imagetrust.engine.notary.model.RoleKeys(java.util.List.of(aliceKey.id()), 1), java.util.List.of(""))));

        TargetsMetadata rotated = TargetsMetadata.from(SignedMetadata.parse("targets",
                NotaryMetadataBuilder.rotatedDelegationKey(current, RoleNames.RELEASES, newReleasesKey, targetsKey, NOW).body()));

        assertThat(rotated.version()).isEqualTo(5);
        assertThat(rotated.delegationKeys()).containsOnlyKeys(newReleasesKey.id(), aliceKey.id());
        assertThat(rotated.delegation(RoleNames.RELEASES).orElseThrow().keys().keyIds()).containsExactly(newReleasesKey.id());
        assertThat(rotated.delegation(RoleNames.RELEASES).orElseThrow().paths()).containsExactly("v");
        assertThat(rotated.delegation("targets/alice").orElseThrow()).isEqualTo(current.delegation("targets/alice").orElseThrow());
        assertThatThrownBy(() -> NotaryMetadataBuilder.withoutTarget(RoleNames.TARGETS, current, "v1", targetsKey, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targets v4 does not list v1");
    }

    @Test
    void aRotatedRootKeyIsANewCertificateSignedByTheOldAndTheNewKey() throws Exception {
        Signer newRootKey = TestSigners.ecdsa();
        TufKey server = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        RootMetadata v1 = RootMetadata.from(SignedMetadata.parse(RoleNames.ROOT,
                NotaryMetadataBuilder.initialRoot(NotaryInterop.THIRDPARTY_GUN, rootKey, targetsKey, server, server, NOW).body()));
        String oldRootKeyId = v1.role(RoleNames.ROOT).keyIds().get(0);
        Instant later = NOW.plus(Duration.ofDays(30));

        SignedMetadata v2File = SignedMetadata.parse(RoleNames.ROOT,
                NotaryMetadataBuilder.rotatedRootKey(v1, NotaryInterop.THIRDPARTY_GUN, rootKey, oldRootKeyId, newRootKey, later).body());

        RootMetadata v2 = RootMetadata.from(v2File);
        assertThat(v2.version()).isEqualTo(2);
        String newRootKeyId = v2.role(RoleNames.ROOT).keyIds().get(0);
        assertThat(v2.role(RoleNames.ROOT).keyIds()).containsExactly(newRootKeyId);
        assertThat(v2.keys()).doesNotContainKey(oldRootKeyId).containsKey(newRootKeyId);
        X509Certificate certificate = v2.keys().get(newRootKeyId).certificate().orElseThrow();
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + NotaryInterop.THIRDPARTY_GUN));
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(newRootKey.publicKey().getEncoded());
        assertThat(v2.expires()).isEqualTo(later.plus(NotaryRootCertificate.VALIDITY)).isEqualTo(certificate.getNotAfter().toInstant());
        assertThat(v2.role(RoleNames.TARGETS)).isEqualTo(v1.role(RoleNames.TARGETS));
        // Both rules a client applies: the old root's threshold, and its own.
        TufSignatures.requireThreshold(v2File, v1.keys(), v1.role(RoleNames.ROOT));
        TufSignatures.requireThreshold(v2File, v2.keys(), v2.role(RoleNames.ROOT));
        assertThat(v2File.signatures()).extracting(io.jenkins.plugins.imagetrust.engine.notary.model.TufSignature::keyId)
                .containsExactlyInAnyOrder(oldRootKeyId, newRootKeyId);
    }

    @Test
    void addingASignerDelegatesItsOwnRoleAndReleasesKeepingOtherKeys() throws Exception {
        TufKey bob = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TufKey alice = TufKey.forPublicKey(TestSigners.ecdsa().publicKey());
        TargetsMetadata v1 = TargetsMetadata.from(SignedMetadata.parse(RoleNames.TARGETS,
                NotaryMetadataBuilder.initialTargets("v1", NotaryMetadataBuilder.target(THIRDPARTY_DIGEST, 524), targetsKey, NOW).body()));
        TargetsMetadata withBob = TargetsMetadata.from(SignedMetadata.parse(RoleNames.TARGETS,
                NotaryMetadataBuilder.addingSigner(v1, "targets/bob", bob, targetsKey, NOW).body()));

        TargetsMetadata withAlice = TargetsMetadata.from(SignedMetadata.parse(RoleNames.TARGETS,
                NotaryMetadataBuilder.addingSigner(withBob, "targets/alice", alice, targetsKey, NOW).body()));

        assertThat(withAlice.version()).isEqualTo(3);
        assertThat(withAlice.targets()).containsOnlyKeys("v1");
        assertThat(withAlice.delegation(RoleNames.RELEASES).orElseThrow().keys().keyIds()).containsExactly(bob.id(), alice.id());
        assertThat(withAlice.delegation("targets/alice").orElseThrow().keys().keyIds()).containsExactly(alice.id());
        assertThat(withAlice.delegation("targets/alice").orElseThrow().paths()).containsExactly("");
        assertThat(withAlice.delegation("targets/bob").orElseThrow().keys().keyIds()).containsExactly(bob.id());
        assertThat(withAlice.delegationKeys()).containsOnlyKeys(bob.id(), alice.id());
        assertThatThrownBy(() -> NotarySignerDelegation.signerRole("releases")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> NotarySignerDelegation.signerRole("-x")).hasMessageContaining("signer name '-x'");
        assertThatThrownBy(() -> NotarySignerDelegation.signerRole("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NotarySignerDelegation.signerRole("lab_signer-2")).isEqualTo("targets/lab_signer-2");
    }
}
