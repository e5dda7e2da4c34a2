package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform an image manifest runs on, as an OCI image index entry states it: {@code os/architecture[/variant]},
 * e.g. {@code linux/arm64} or {@code linux/arm/v7}. Parsed from text the way {@code docker --platform} and
 * containers/image read it: lower case, the variant optional.
 */
public record Platform(String os, String architecture, String variant) {
    private static final Pattern PART = Pattern.compile("[a-z0-9._-]{1,64}");

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    /**
     * {@code os/architecture[/variant]}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static Platform parse(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("a platform is os/architecture[/variant], e.g. linux/arm64, not '" + text + "'");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("a platform is os/architecture[/variant], e.g. linux/arm64, not '" + text + "'");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    public Optional<String> variantIfAny() {
        return Optional.ofNullable(variant);
    }

    /**
     * Whether a manifest for {@code listed} serves a request for this platform: same os and architecture, and the
     * same variant when this one names one. {@code arm64} without a variant is {@code arm64/v8}, as containerd and
     * containers/image normalise it.
     */
    public boolean matches(Platform listed) {
        if (!os.equals(listed.os) || !architecture.equals(listed.architecture)) {
            return false;
        }
        return variant == null || variant.equals(normalisedVariant(listed));
    }

    private static String normalisedVariant(Platform platform) {
        if (platform.variant == null && platform.architecture.equals("arm64")) {
            return "v8";
        }
        return platform.variant;
    }

    /** A buildx attestation manifest's {@code unknown/unknown}, which no runtime runs. */
    public boolean isUnknown() {
        return os.equals("unknown") && architecture.equals("unknown");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
