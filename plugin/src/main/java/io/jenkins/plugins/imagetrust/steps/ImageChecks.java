package io.jenkins.plugins.imagetrust.steps;

import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.util.function.Consumer;

/** Syntax checks of image and other step fields (no lookup, nothing revealed, so no permission needed of their own). */
public final class ImageChecks {
    private ImageChecks() {}

    /** An image reference that must be given. */
    public static FormValidation checkImage(String value) {
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

    /** An image or repository reference that may be left empty (e.g. a signature repository). */
    public static FormValidation checkOptionalImage(String value) {
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok() : checkImage(value);
    }

    /**
     * A field that may be left empty, else must parse: {@code parser} throws {@link IllegalArgumentException} with a
     * message naming what is wrong (e.g. {@code Digest::parse}).
     */
    public static FormValidation checkOptional(String value, Consumer<String> parser) {
        String text = Util.fixEmptyAndTrim(value);
        if (text == null) {
            return FormValidation.ok();
        }
        try {
            parser.accept(text);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
