package io.jenkins.plugins.imagetrust.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DigestResolver} and {@link ResolvedDigest} decisions that need no daemon (those that do: DigestResolverDockerdTest). */
class DigestResolverTest {
    private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5000/lab/app:1");
    private static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest B = Digest.parse("sha256:" + "b".repeat(64));
    private static final Descriptor REGISTRY_HAS_A = new Descriptor(MediaTypes.DOCKER_MANIFEST, A, 524);

    @Test
    void withoutADaemonTheRegistryDigestIsResolvedButCannotBeConfirmed() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();

        ResolvedDigest resolved = DigestResolver.builder(image -> REGISTRY_HAS_A).listener(events::add).build().resolve(IMAGE);

        assertThat(resolved.registryDigest()).isEqualTo(A);
        assertThat(resolved.daemonDigest()).isEmpty();
        assertThat(resolved.daemonEndpoint()).isEmpty();
        assertThat(resolved.agree()).isFalse();
        assertThat(resolved.toSign(List.of(), false, ProgressListener.NONE)).as("nothing to compare with: the registry's digest")
                .isEqualTo(resolved.registryDigest());
        assertThat(events).singleElement().satisfies(e -> assertThat(e.message()).contains(IMAGE.toString(), A.toString()));
    }

    @Test
    void aRegistryAnswerThatContradictsAPinnedDigestIsRefused() {
        ImageReference pinned = IMAGE.withDigest(B);

        assertThatThrownBy(() -> DigestResolver.builder(image -> REGISTRY_HAS_A).build().resolve(pinned))
                .isInstanceOf(RegistryException.class).hasMessageContaining(A.toString()).hasMessageContaining(B.toString());
    }

    @Test
    void aLookupThatReturnsNothingFailsClosed() {
        assertThatThrownBy(() -> DigestResolver.builder(image -> null).build().resolve(IMAGE))
                .isInstanceOf(RegistryException.class).hasMessageContaining(IMAGE.toString());
    }

    @Test
    void agreementHoldsWhenTheRegistryDigestIsAmongSeveralDaemonDigests() throws Exception {
        ResolvedDigest resolved = new ResolvedDigest(IMAGE, REGISTRY_HAS_A, List.of(B, A), "unix:///d.sock");

        assertThat(resolved.agree()).isTrue();
        assertThat(resolved.daemonDigest()).contains(A);
        assertThat(resolved.toSign(List.of(), false, ProgressListener.NONE)).isEqualTo(A);
    }

    @Test
    void tagMovedNamesEveryDaemonDigest() {
        Digest c = Digest.parse("sha256:" + "c".repeat(64));
        ResolvedDigest resolved = new ResolvedDigest(IMAGE, REGISTRY_HAS_A, List.of(B, c), "unix:///d.sock");

        assertThat(resolved.daemonDigest()).contains(B);
        assertThatThrownBy(() -> resolved.toSign(List.of(), false, ProgressListener.NONE))
                .isInstanceOfSatisfying(TagMovedException.class, e -> assertThat(e.daemonDigests()).containsExactly(B, c))
                .hasMessageContaining(B + " or " + c).hasMessageContaining("unix:///d.sock");
    }
}
