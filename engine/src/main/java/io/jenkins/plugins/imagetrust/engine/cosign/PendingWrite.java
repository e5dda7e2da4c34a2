package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.PendingSignature;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
import io.jenkins.plugins.imagetrust.engine.signature.StoredSignature;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A signature written to a tag that other writers share, not yet confirmed there. {@link #result()} confirms it
 * (waits out the settle delay, reads the tag back, merges and writes again when another writer replaced it) and only
 * then says what was stored; {@link PendingSignature#settleAll} lets the writes of one sign wait out their settle
 * delays together first. A signature that needs no confirmation (found already there, or pushed by digest to a registry with the
 * referrers API) is done at once.
 *
 * @param <P> what the publisher reports once the write is confirmed
 */
public final class PendingWrite<P extends StoredSignature> implements PendingSignature {
    /**
     * The shortest settle delay between a write and its confirming read-back (longer when the write itself took
     * longer, or other writers were seen). Public for the benchmarks, whose floor includes it.
     */
    public static final Duration MIN_SETTLE = Duration.ofMillis(50);

    /** Turns the confirmed outcome into the publisher's report (and says so in the log). */
    interface Finish<R, P> {
        P finish(TagUpdate.Outcome<R> outcome);
    }

    private interface Confirmation<P> {
        P confirm() throws RegistryException, KeyException, SignaturePublishException;
    }

    /** The tag write awaiting confirmation; null when there is none. */
    private final TagUpdate.Pending<?> pending;
    private final Confirmation<P> confirmation;
    private P result;

    private PendingWrite(TagUpdate.Pending<?> pending, Confirmation<P> confirmation) {
        this.pending = pending;
        this.confirmation = confirmation;
    }

    static <R, P extends StoredSignature> PendingWrite<P> of(TagUpdate.Pending<R> pending, Finish<R, P> finish) {
        return new PendingWrite<>(pending, () -> finish.finish(pending.confirm()));
    }

    static <P extends StoredSignature> PendingWrite<P> done(P result) {
        return new PendingWrite<>(null, () -> result);
    }

    @Override
    public OptionalLong settlesAt() {
        return pending != null && pending.awaitsConfirmation() ? OptionalLong.of(pending.settledAt()) : OptionalLong.empty();
    }

    @Override
    public void awaitSettled() throws SignaturePublishException {
        if (pending != null) {
            pending.awaitSettle();
        }
    }

    @Override
    public P confirm() throws RegistryException, KeyException, SignaturePublishException {
        return result();
    }

    /**
     * Confirms the write and reports what is stored.
     *
     * @throws SignaturePublishException when the signature could not be kept in the tag (other writers kept
     *         replacing it): nothing is reported stored then
     */
    public P result() throws RegistryException, KeyException, SignaturePublishException {
        if (result == null) {
            result = confirmation.confirm();
        }
        return result;
    }
}
