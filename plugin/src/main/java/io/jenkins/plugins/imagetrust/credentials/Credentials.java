package io.jenkins.plugins.imagetrust.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import java.util.Collections;

/** Credential lookup for a run, the one way every step does it. */
public final class Credentials {
    private Credentials() {}

    /**
     * The credential {@code id} as the run may use it (folder-scoped ones included), checked to be a {@code type}, and
     * recorded as used by the run. {@code findCredentialById} does not track a plain id itself, hence the explicit
     * {@code track}.
     *
     * @param purpose what the credential is for, for the error message ("the signing key")
     * @throws AbortException when it does not exist, the run may not use it, or it is of another type
     */
    @NonNull
    public static <C extends IdCredentials> C require(
            @NonNull Run<?, ?> run, @NonNull String id, @NonNull Class<C> type, @NonNull String purpose)
            throws AbortException {
        IdCredentials found = CredentialsProvider.findCredentialById(
                id, IdCredentials.class, run, Collections.<DomainRequirement>emptyList());
        if (found == null) {
            throw new AbortException(Messages.Credentials_NotFound(purpose, id));
        }
        if (!type.isInstance(found)) {
            throw new AbortException(Messages.Credentials_WrongType(
                    purpose, id, found.getClass().getSimpleName(), type.getSimpleName()));
        }
        return CredentialsProvider.track(run, type.cast(found));
    }
}
