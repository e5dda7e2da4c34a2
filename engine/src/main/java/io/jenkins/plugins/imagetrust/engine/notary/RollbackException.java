package io.jenkins.plugins.imagetrust.engine.notary;

/** The server offered an older version of a role than the version this client already trusted (a rollback). */
public class RollbackException extends TufException {
    private static final long serialVersionUID = 1L;
    private final long cachedVersion;
    private final long receivedVersion;

    public RollbackException(String role, long cachedVersion, long receivedVersion) {
        super(role, role + " version " + receivedVersion + " is lower than the version already trusted (" + cachedVersion + ")");
        this.cachedVersion = cachedVersion;
        this.receivedVersion = receivedVersion;
    }

    public long cachedVersion() {
        return cachedVersion;
    }

    public long receivedVersion() {
        return receivedVersion;
    }
}
