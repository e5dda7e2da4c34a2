package io.jenkins.plugins.imagetrust.engine.notary;

import java.time.Instant;

/** The role's metadata expired: its {@code expires} is not after the verifier's clock. */
public class RoleExpiredException extends TufException {
    private static final long serialVersionUID = 1L;
    private final Instant expires;
    private final Instant now;

    public RoleExpiredException(String role, Instant expires, Instant now) {
        super(role, role + " metadata expired at " + expires + " (now " + now + ")");
        this.expires = expires;
        this.now = now;
    }

    public Instant expires() {
        return expires;
    }

    public Instant now() {
        return now;
    }
}
