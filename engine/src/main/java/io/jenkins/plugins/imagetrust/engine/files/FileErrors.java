package io.jenkins.plugins.imagetrust.engine.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Says what went wrong with a file in words: {@code java.nio.file} exceptions carry only the path as their message
 * ("k.pub"), which reads as no explanation at all.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** {@code "no such file: k.pub"}, {@code "permission denied: k.pub"}, or the exception's own message. */
    public static String describe(Throwable e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof FileSystemException other && other.getReason() != null) {
            return other.getFile() + ": " + other.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
