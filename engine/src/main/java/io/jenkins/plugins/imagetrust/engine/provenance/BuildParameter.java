package io.jenkins.plugins.imagetrust.engine.provenance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One build parameter as the run holds it, with whether it is sensitive (Jenkins' {@code ParameterValue.isSensitive()}:
 * password and credentials parameters). Only {@link #publishable} parameters reach a {@link JenkinsBuild}, so a caller
 * that hands over every parameter still publishes no secret.
 *
 * @param name the parameter's name
 * @param value its value as text
 * @param sensitive whether Jenkins marks it sensitive; such a parameter is left out entirely, name included
 */
public record BuildParameter(String name, String value, boolean sensitive) {
    public BuildParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "BuildParameter[" + name + (sensitive ? ", sensitive" : "") + "]"; // never the value: it may be a secret
    }

    /**
     * The parameters a provenance may carry: the non-sensitive ones by name.
     *
     * @throws IllegalArgumentException naming a parameter given twice
     */
    public static Map<String, String> publishable(List<BuildParameter> parameters) {
        Map<String, String> publishable = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (BuildParameter parameter : parameters) {
            if (!seen.add(parameter.name())) {
                throw new IllegalArgumentException("build parameter '" + parameter.name() + "' is given twice");
            }
            if (!parameter.sensitive()) {
                publishable.put(parameter.name(), parameter.value());
            }
        }
        return publishable;
    }
}
