package io.jenkins.plugins.imagetrust.engine.notary;

import java.util.List;

/**
 * The role's metadata is signed only by keys the role does not list (for {@code targets}: keys absent from
 * {@code root.json}), so no signature can count.
 */
public class UnknownKeyException extends SignatureThresholdException {
    private static final long serialVersionUID = 1L;
    private final List<String> unknownKeyIds;

    public UnknownKeyException(String role, int required, List<String> unknownKeyIds) {
        super(role, required, 0, role + ": signed only by key(s) the role does not list: " + unknownKeyIds
                + " (" + required + " valid signature(s) required)");
        this.unknownKeyIds = List.copyOf(unknownKeyIds);
    }

    /** The key ids that signed but are not keys of the role. */
    public List<String> unknownKeyIds() {
        return unknownKeyIds;
    }
}
