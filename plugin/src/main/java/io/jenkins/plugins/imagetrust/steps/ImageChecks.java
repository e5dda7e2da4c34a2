package io.jenkins.plugins.imagetrust.steps;

import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;

/** Syntax checks of step fields (no lookup, nothing revealed, so no permission needed). */
final class ImageChecks {
    private ImageChecks() {}

    static FormValidation checkImage(String value) {
        String text = Util.fixEmptyAndTrim(value);
        if (text == null) {
            return FormValidation.error("Give the image, e.g. registry.example.com/team/app:1.0");
        }
        try {
            ImageReference image = ImageReference.parse(text);
            return FormValidation.ok(image.toString());
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
