package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * When a signature already in the registry, by the signing key over the same digest and repository, stands for the one
 * about to be written, so that signing again adds nothing. Exact by default: the same annotations. Annotations that
 * name the run rather than what is vouched for (Jenkins' build number and URL change with every rebuild of the same
 * digest) can be left out of the comparison: a rebuild then finds the first build's signature instead of piling up a
 * new one per build.
 *
 * @param perRunAnnotations annotation keys whose values are not compared (present or absent on either side alike)
 */
public record SignatureEquivalence(Set<String> perRunAnnotations) {
    /** Only a signature with exactly the same annotations is equivalent. */
    public static final SignatureEquivalence EXACT = new SignatureEquivalence(Set.of());

    public SignatureEquivalence {
        perRunAnnotations = Set.copyOf(perRunAnnotations);
    }

    /** Whether an existing signature's annotations stand for {@code ours}. */
    public boolean sameAnnotations(Map<String, String> existing, Map<String, String> ours) {
        return withoutPerRun(existing).equals(withoutPerRun(ours));
    }

    /** Whether two signatures with different annotations can still be equivalent (worth reading other signatures). */
    public boolean ignoresSomeAnnotations() {
        return !perRunAnnotations.isEmpty();
    }

    private Map<String, String> withoutPerRun(Map<String, String> annotations) {
        Map<String, String> kept = new HashMap<>(annotations);
        kept.keySet().removeAll(perRunAnnotations);
        return kept;
    }
}
