package io.jenkins.plugins.imagetrust.engine.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The build runs the key tests twice, on the BouncyCastle built against and on the one Jenkins ships
 * ({@code engine/pom.xml}): this proves each run has the version it claims, so the second run cannot quietly test
 * the first's jars.
 */
class BouncyCastleVersionTest {
    @Test
    void theTestsRunOnTheBouncyCastleTheirExecutionNames() {
        String expected = System.getProperty("imagetrust.test.bouncycastle");
        assertThat(expected).as("the build names the BouncyCastle version of this test run").isNotBlank();
        assertThat(new BouncyCastleProvider().getVersionStr()).isEqualTo(expected);
    }
}
