package io.jenkins.plugins.imagetrust.pluginresources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's views, checked in every CI run (CI cannot build the plugin itself), and proof that the check catches the
 * defects a real Jenkins found in them: the views as they were then are kept in {@code defective-views/}.
 */
class JellyResourceCheckTest {
    private static final Path PLUGIN = Path.of("..", "plugin", "src", "main");
    private static final String VIEWS = "io/jenkins/plugins/imagetrust/";

    @TempDir
    Path copy;

    private Path resources;

    @BeforeEach
    void copyThePluginResources() throws IOException {
        resources = copy.resolve("resources");
        Path from = PLUGIN.resolve("resources");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = resources.resolve(from.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
        }
    }

    @Test
    void thePluginsViewsHaveNoProblem() throws IOException {
        assertThat(new JellyResourceCheck(PLUGIN.resolve("resources"), PLUGIN.resolve("java")).problems())
                .isEmpty();
    }

    @Test
    void aParenthesisInLocalizedTextIsFoundInEachViewThatBrokeJenkins() throws IOException {
        restoreDefective("ImageTrustConfiguration-config.jelly", "config/ImageTrustConfiguration/config.jelly");
        restoreDefective("TrustedPublicKey-config.jelly", "config/TrustedPublicKey/config.jelly");
        restoreDefective("SignImageStep-config.jelly", "steps/SignImageStep/config.jelly");

        List<String> problems = check();

        assertThat(problems)
                .containsExactlyInAnyOrder(
                        VIEWS + "config/ImageTrustConfiguration/config.jelly:29: ${%Notary server CA certificate (PEM)} "
                                + "holds '(', which Stapler parses as arguments: use a key and config.properties",
                        VIEWS + "config/ImageTrustConfiguration/config.jelly:35: ${%Hardware security module (PKCS#11)} "
                                + "holds '(', which Stapler parses as arguments: use a key and config.properties",
                        VIEWS + "config/TrustedPublicKey/config.jelly:6: ${%Public key or certificate (PEM)} "
                                + "holds '(', which Stapler parses as arguments: use a key and config.properties",
                        VIEWS + "steps/SignImageStep/config.jelly:29: ${%Also publish Docker Content Trust (Notary) "
                                + "metadata} holds '(', which Stapler parses as arguments: use a key and config.properties");
    }

    @Test
    void aMessageKeyMissingFromThePropertiesIsFound() throws IOException {
        Path properties = resources.resolve(VIEWS + "steps/SignImageStep/config.properties");
        Files.writeString(properties, Files.readString(properties).replace("notaryTitle=", "notaryTitleRenamed="));

        assertThat(check())
                .singleElement()
                .asString()
                .matches(VIEWS + "steps/SignImageStep/config\\.jelly:\\d+: message key 'notaryTitle'"
                        + " is not in config\\.properties");
    }

    @Test
    void aFieldWithoutHelpOrGetterIsFound() throws IOException {
        Path view = resources.resolve(VIEWS + "steps/VerifyImageStep/config.jelly");
        Files.writeString(view, Files.readString(view)
                .replace("</j:jelly>", "  <f:entry title=\"${%Colour}\" field=\"colour\"><f:textbox/></f:entry>\n</j:jelly>"));
        Files.delete(resources.resolve(VIEWS + "steps/VerifyImageStep/help-image.html"));

        assertThat(check())
                .anySatisfy(p -> assertThat(p).endsWith("field 'image' has no help-image.html"))
                .anySatisfy(p -> assertThat(p).endsWith("field 'colour' has no help-colour.html"))
                .anySatisfy(p -> assertThat(p)
                        .endsWith("field 'colour' has no public getColour() or isColour() in VerifyImageStep.java"))
                .hasSize(3);
    }

    @Test
    void aViewThatIsNotWellFormedIsFound() throws IOException {
        Path view = resources.resolve(VIEWS + "run/ImageTrustAction/badge.jelly");
        Files.writeString(view, Files.readString(view).replace("</j:jelly>", ""));

        assertThat(check()).singleElement().satisfies(p -> assertThat(p)
                .startsWith(VIEWS + "run/ImageTrustAction/badge.jelly: not well-formed XML: "));
    }

    private List<String> check() throws IOException {
        return new JellyResourceCheck(resources, PLUGIN.resolve("java")).problems();
    }

    private void restoreDefective(String fixture, String view) throws IOException {
        try (InputStream in = JellyResourceCheckTest.class.getResourceAsStream("defective-views/" + fixture)) {
            Files.copy(in, resources.resolve(VIEWS + view), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
