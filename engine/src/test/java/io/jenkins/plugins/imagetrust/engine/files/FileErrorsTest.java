package io.jenkins.plugins.imagetrust.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsSaidToBeMissing() {
        Throwable e = catchThrowable(() -> Files.readAllBytes(dir.resolve("k.pub")));
        assertThat(FileErrors.describe(e)).isEqualTo("no such file: " + dir.resolve("k.pub"));
    }

    @Test
    void otherFileSystemErrorsNameTheFileAndTheReason() {
        assertThat(FileErrors.describe(new FileSystemException("k.pub", null, "Too many open files")))
                .isEqualTo("k.pub: Too many open files");
    }

    @Test
    void deniedAndPlainMessages() {
        assertThat(FileErrors.describe(new AccessDeniedException("k.key"))).isEqualTo("permission denied: k.key");
        assertThat(FileErrors.describe(new IOException("disk on fire"))).isEqualTo("disk on fire");
        assertThat(FileErrors.describe(new IOException())).isEqualTo("IOException");
    }
}
