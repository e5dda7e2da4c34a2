package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Asserts that an exception, its causes and its stack trace text never mention a secret. */
final class SecretAssertions {
    private SecretAssertions() {
    }

    static void assertNoSecretIn(Throwable thrown, String... secrets) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        for (String secret : secrets) {
            assertThat(trace.toString()).as("exception text must not contain a secret").doesNotContain(secret);
        }
    }
}
