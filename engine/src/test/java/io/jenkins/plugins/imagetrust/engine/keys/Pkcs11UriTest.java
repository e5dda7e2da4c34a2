package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11UriTest {
    @TempDir
    static Path dir;
    static String module;

    @BeforeAll
    static void aModuleFile() throws Exception {
        module = Files.writeString(dir.resolve("libfake-pkcs11.so"), "not loaded by these tests").toString();
    }

    @Test
    void slotLabelIdModuleAndPinSource() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:slot-id=1523;object=release%20key?module-path=" + module + "&pin-source=file:" + dir + "/pin");
        assertThat(uri.config().slotId()).hasValue(1523);
        assertThat(uri.config().keyLabel()).contains("release key");
        assertThat(Pkcs11Uri.parse("pkcs11:id=%01%a2?module-path=" + module).config().keyId()).contains("01a2");
        assertThat(uri.config().module()).isEqualTo(Path.of(module));
        assertThat(uri.pinSource()).contains(dir.resolve("pin"));
    }

    @Test
    void theFirstSlotWhenNoneIsNamed() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:object=k?module-path=" + module);
        assertThat(uri.config().slotListIndex()).hasValue(0);
        assertThat(uri.pinSource()).isEmpty();
    }

    @Test
    void refusesWhatItCannotHonourSayingWhy() {
        assertBad("file.key", "starts with 'pkcs11:'");
        assertBad("pkcs11:object=k", "needs module-path");
        assertBad("pkcs11:object=k?module-path=" + module + "&pin-value=1234", "holds a PIN");
        assertBad("pkcs11:token=ci;object=k?module-path=" + module, "token by label");
        assertBad("pkcs11:slot-id=x?module-path=" + module, "slot-id is not a number");
        assertBad("pkcs11:serial=1?module-path=" + module, "'serial' is not supported");
        assertBad("pkcs11:object=a;object=b?module-path=" + module, "twice");
        assertBad("pkcs11:object=%4?module-path=" + module, "truncated");
        assertBad("pkcs11:type=cert?module-path=" + module, "type=private");
        assertBad("pkcs11:object?module-path=" + module, "malformed attribute");
    }

    @Test
    void theRefusedPinNeverAppearsInTheMessage() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=k?module-path=" + module + "&pin-value=s3cr3t-981"))
                .hasMessageNotContaining("s3cr3t-981");
    }

    private static void assertBad(String uri, String message) {
        assertThatThrownBy(() -> Pkcs11Uri.parse(uri)).isInstanceOf(KeyException.class).hasMessageContaining(message);
    }
}
