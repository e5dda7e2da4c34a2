package io.jenkins.plugins.imagetrust.engine.signature;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * A signature written, in any format, and not yet confirmed: a write to a tag that other writers share must wait a
 * settle delay before it is read back. One sign writes all its signatures (every format, every manifest of an index),
 * then {@link #settleAll} waits once for all of them, then {@link #confirm} confirms each: one settle delay per sign,
 * not one per tag.
 */
public interface PendingSignature {
    /** The {@link System#nanoTime()} at which its settle delay ends; empty when it needs no confirmation. */
    OptionalLong settlesAt();

    /** Waits until its settle delay has passed. */
    void awaitSettled() throws SignaturePublishException;

    /**
     * Confirms the write and reports what is stored.
     *
     * @throws SignaturePublishException when the signature could not be kept (other writers kept replacing its tag):
     *         nothing is reported stored then
     */
    StoredSignature confirm() throws RegistryException, KeyException, SignaturePublishException;

    /** Waits once, until the settle delay of every one of {@code pendings} has passed (the latest of them). */
    static void settleAll(Collection<? extends PendingSignature> pendings) throws SignaturePublishException {
        PendingSignature latest = null;
        long latestAt = 0;
        for (PendingSignature pending : pendings) {
            OptionalLong at = pending.settlesAt();
            if (at.isPresent() && (latest == null || at.getAsLong() - latestAt > 0)) {
                latest = pending;
                latestAt = at.getAsLong();
            }
        }
        if (latest != null) {
            latest.awaitSettled();
        }
    }
}
