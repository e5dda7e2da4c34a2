package io.jenkins.plugins.imagetrust.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one capped read: exact cap accepted, one byte more refused by name, an endless stream stops at the cap. */
class CappedReadTest {
    /** An endless stream of 'x' that counts what it handed out. */
    private static final class Endless extends InputStream {
        final AtomicLong served = new AtomicLong();

        @Override
        public int read() {
            served.incrementAndGet();
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            served.addAndGet(len);
            return len;
        }
    }

    @Test
    void readsEverythingUpToTheCapInclusive() throws Exception {
        byte[] exact = new byte[20_000];
        assertThat(CappedRead.readAtMost(new ByteArrayInputStream(exact), 20_000, "the file")).hasSize(20_000);
        assertThat(CappedRead.readAtMost(new ByteArrayInputStream(new byte[3]), 20_000, "the file")).hasSize(3);
        assertThat(CappedRead.readAtMost(null, 10, "no body")).isEmpty();
    }

    @Test
    void oneByteMoreFailsNamingWhatAndTheCap() {
        assertThatThrownBy(() -> CappedRead.readAtMost(new ByteArrayInputStream(new byte[20_001]), 20_000, "/tmp/config.json"))
                .isInstanceOfSatisfying(CappedRead.TooLargeException.class, e -> {
                    assertThat(e).hasMessage("/tmp/config.json is larger than 20000 bytes");
                    assertThat(e.cap()).isEqualTo(20_000);
                });
    }

    @Test
    void anEndlessStreamIsReadOnlyOnePastTheCap() {
        Endless endless = new Endless();
        assertThatThrownBy(() -> CappedRead.readAtMost(endless, 100_000, "the answer")).isInstanceOf(CappedRead.TooLargeException.class);
        assertThat(endless.served.get()).isEqualTo(100_001);
    }

    @Test
    void aPrefixLeavesTheRestUnread() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream("hello, world".getBytes(StandardCharsets.US_ASCII));
        assertThat(CappedRead.prefix(in, 5)).asString().isEqualTo("hello");
        assertThat(in.available()).isEqualTo(7);
    }

    @Test
    void aFileIsReadWhenAtTheCapAndRefusedNamingItWhenLarger(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("policy.yaml");
        Files.write(file, new byte[100]);

        assertThat(CappedRead.file(file, 100, "policy file")).hasSize(100);
        assertThatThrownBy(() -> CappedRead.file(file, 99, "policy file"))
                .isInstanceOf(CappedRead.TooLargeException.class)
                .hasMessage("policy file " + file + " is larger than 99 bytes");
    }
}
