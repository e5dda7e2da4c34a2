package io.jenkins.plugins.imagetrust.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import org.junit.jupiter.api.Test;

class ImageChecksTest {
    @Test
    void anOptionalFieldMayBeEmptyAndMustElseParse() {
        assertThat(ImageChecks.checkOptional("", Digest::parse).kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(ImageChecks.checkOptional("  ", SignatureFormat::fromId).kind)
                .isEqualTo(FormValidation.Kind.OK);
        assertThat(ImageChecks.checkOptional("bundle", SignatureFormat::fromId).kind)
                .isEqualTo(FormValidation.Kind.OK);
        FormValidation wrong = ImageChecks.checkOptional("sideways", SignatureFormat::fromId);
        assertThat(wrong.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(wrong.getMessage()).contains("sideways");
        assertThat(ImageChecks.checkOptional("sha256:abc", Digest::parse).kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void anImageMustBeGivenAndParse() {
        assertThat(ImageChecks.checkImage("").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(ImageChecks.checkImage("registry.example.com/team/app:1.0").kind)
                .isEqualTo(FormValidation.Kind.OK);
        assertThat(ImageChecks.checkImage("Not/A:Reference:").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(ImageChecks.checkOptionalImage("").kind).isEqualTo(FormValidation.Kind.OK);
    }
}
