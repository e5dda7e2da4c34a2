package io.jenkins.plugins.imagetrust.engine.notary;

import java.util.List;

/** A delegated role lists a target outside the paths its parent granted it. */
public class DelegationPathException extends TufException {
    private static final long serialVersionUID = 1L;
    private final String target;
    private final List<String> allowedPaths;

    public DelegationPathException(String role, String target, List<String> allowedPaths) {
        super(role, role + " lists target '" + target + "' outside its delegated paths " + allowedPaths);
        this.target = target;
        this.allowedPaths = List.copyOf(allowedPaths);
    }

    public String target() {
        return target;
    }

    public List<String> allowedPaths() {
        return allowedPaths;
    }
}
