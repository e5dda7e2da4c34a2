package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an authenticated signature claims, whatever format it was found in: the policy judges these and nothing else.
 *
 * @param namesImage whether it signs the image digest being verified
 * @param signed what it signs, in words, for the report (e.g. {@code payload signs sha256:…})
 * @param otherImage the reason a report gives when it signs another digest
 * @param identity the repository or reference it names, if any (a bundle statement from cosign names none)
 * @param annotations the annotations it signs
 */
public record Claims(boolean namesImage, String signed, RejectionReason otherImage, Optional<String> identity,
        Map<String, String> annotations) {
    public Claims {
        Objects.requireNonNull(signed);
        Objects.requireNonNull(otherImage);
        Objects.requireNonNull(identity);
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }
}
