package io.jenkins.plugins.imagetrust.engine.provenance;

import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Predicate types of in-toto attestations, by the short names cosign's {@code --type} accepts (cosign
 * {@code cmd/cosign/cli/options/predicate.go}, {@code PredicateTypeMap}) or as a URI. A name that is neither is an
 * error, where cosign would take any string as a URI: a typo must not become a predicate type nobody asks for.
 */
public final class PredicateTypes {
    /** SLSA Provenance v1 (in-toto {@code slsa_provenance/v1}). */
    public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
    /** SLSA Provenance v0.2. */
    public static final String SLSA_PROVENANCE_V02 = "https://slsa.dev/provenance/v0.2";
    /** SPDX documents (in-toto's SPDX predicate). */
    public static final String SPDX = "https://spdx.dev/Document";
    /** CycloneDX BOMs (in-toto's CycloneDX predicate). */
    public static final String CYCLONEDX = "https://cyclonedx.org/bom";

    private static final Map<String, String> BY_SHORT_NAME = Map.of(
            "custom", "https://cosign.sigstore.dev/attestation/v1",
            "slsaprovenance", SLSA_PROVENANCE_V02,
            "slsaprovenance02", SLSA_PROVENANCE_V02,
            "slsaprovenance1", SLSA_PROVENANCE_V1,
            "spdx", SPDX,
            "spdxjson", SPDX,
            "cyclonedx", CYCLONEDX,
            "link", "https://in-toto.io/Link/v1",
            "vuln", "https://cosign.sigstore.dev/attestation/vuln/v1",
            "openvex", "https://openvex.dev/ns");

    private PredicateTypes() {
    }

    /**
     * The predicate type URI {@code nameOrUri} stands for: a cosign short name (any case), or an absolute URI with a
     * scheme and no spaces, kept as given.
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static String resolve(String nameOrUri) {
        String shortName = BY_SHORT_NAME.get(nameOrUri.toLowerCase(Locale.ROOT));
        if (shortName != null) {
            return shortName;
        }
        try {
            URI uri = new URI(nameOrUri);
            if (uri.isAbsolute() && uri.getScheme().matches("[a-zA-Z][a-zA-Z0-9+.-]*") && !nameOrUri.isBlank()) {
                return nameOrUri;
            }
        } catch (URISyntaxException e) {
            // falls through to the error below, which names what is accepted
        }
        throw new IllegalArgumentException("predicate type " + JsonText.quoted(nameOrUri) + " is neither one of "
                + String.join(", ", new TreeSet<>(BY_SHORT_NAME.keySet())) + " nor an absolute URI");
    }
}
