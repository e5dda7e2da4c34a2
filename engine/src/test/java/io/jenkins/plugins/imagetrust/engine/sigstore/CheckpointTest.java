package io.jenkins.plugins.imagetrust.engine.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final String ROOT = "dauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=";
    private static final String NOTE = "rekor.sigstore.dev - 2605736670972794746\n23083062\n" + ROOT + "\nTimestamp: 1689177396617352539\n\n"
            + "\u2014 rekor.sigstore.dev wNI9ajBFAiBxaGyE\n\u2014 witness.example O8PH5AAAAABo\n";

    @Test
    void aNoteWithAnExtensionLineAndTwoSignaturesIsRead() throws Exception {
        Checkpoint checkpoint = Checkpoint.parse(NOTE);
        assertThat(checkpoint.origin()).isEqualTo("rekor.sigstore.dev - 2605736670972794746");
        assertThat(checkpoint.treeSize()).isEqualTo(23083062L);
        assertThat(checkpoint.rootHash()).hasSize(32);
        assertThat(checkpoint.signatures()).extracting(Checkpoint.NoteSignature::name).containsExactly("rekor.sigstore.dev", "witness.example");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "23083062|023083062|not a canonical non-negative number",
        "23083062|-1|not a canonical non-negative number",
        ROOT + "|AAAA|the root hash has 3 bytes, not 32",
        "\u2014 witness.example|- witness.example|does not start with an em dash",
    })
    void aDamagedNoteIsInvalid(String from, String to, String message) {
        String damaged = NOTE.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        assertThatThrownBy(() -> Checkpoint.parse(damaged)).isInstanceOfSatisfying(SigstoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(SigstoreReason.CHECKPOINT_INVALID);
            assertThat(e.getMessage()).contains(message).doesNotContain("\n");
        });
    }

    @Test
    void aNoteWithoutItsBlankLineOrOriginIsInvalid() {
        assertThatThrownBy(() -> Checkpoint.parse(NOTE.replace("\n\n", "\n"))).hasMessageContaining("no blank line separates");
        assertThatThrownBy(() -> Checkpoint.parse(NOTE.substring(NOTE.indexOf('\n')))).hasMessageContaining("the origin line is empty");
    }

    @Test
    void aNoteWithoutSignaturesIsInvalid() {
        assertThatThrownBy(() -> Checkpoint.parse(NOTE.substring(0, NOTE.indexOf("\n\n") + 2))).hasMessageContaining("no signature");
    }
}
