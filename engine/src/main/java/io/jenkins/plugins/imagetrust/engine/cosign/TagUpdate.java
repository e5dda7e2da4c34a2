package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read-modify-write of a tag that several writers append to (the {@code .sig} manifest, the referrers fallback
 * index). Within one JVM (a Jenkins controller) writers of one tag take turns; across processes every writer reads
 * the tag back after writing and tries again, with jittered exponential backoff, until its addition is there. A
 * write only ever replaces the tag with a document holding everything the tag held when read plus ours. Across
 * processes that is not enough to rule out a loss: a writer that read the tag before our write and writes after our
 * read-back drops our addition although both reported success (registries offer no conditional PUT). The referrers
 * API, where a registry has it, avoids this for bundles.
 */
final class TagUpdate {
    /**
     * A fixed set of locks, a tag's chosen by its name's hash: a long-running controller signs ever new digests, and
     * one lock per tag would grow without end. Two tags that share a lock merely take turns; no caller holds the
     * locks of two tags at once, so sharing cannot deadlock.
     */
    private static final ReentrantLock[] TAG_LOCKS = new ReentrantLock[256];

    static {
        for (int i = 0; i < TAG_LOCKS.length; i++) {
            TAG_LOCKS[i] = new ReentrantLock();
        }
    }

    /** Looks for our addition in the tag's current manifest; the result when it is there. */
    interface Check<R> {
        Optional<R> find(Optional<Manifest> current) throws RegistryException, KeyException;
    }

    /** Writes the tag as {@code current} plus our addition; returns what to report if the read-back finds it. */
    interface Write<R> {
        R write(Optional<Manifest> current) throws RegistryException, KeyException;
    }

    /** What the update did: the result, and whether our addition was there before we wrote anything. */
    record Outcome<R>(R value, boolean alreadyPresent) {
    }

    private final RegistryClient registry;
    private final ProgressListener listener;
    private final int maxAttempts;
    private final Duration initialBackoff;

    TagUpdate(RegistryClient registry, ProgressListener listener, int maxAttempts, Duration initialBackoff) {
        this.registry = registry;
        this.listener = listener;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    /**
     * Adds to {@code tag} in {@code repository} unless {@code check} finds the addition already there.
     *
     * @param what names the tag's content in messages, e.g. "signature manifest"
     * @throws SignaturePublishException when other writers kept replacing the tag, or the tag's document is malformed
     *         (appending to it could lose what it holds)
     */
    <R> Outcome<R> run(ImageReference repository, String tag, String what, Check<R> check, Write<R> write)
            throws RegistryException, KeyException, SignaturePublishException {
        ReentrantLock lock = lock(repository, tag);
        lock.lock();
        try {
            Optional<Manifest> current = registry.fetchManifest(repository, tag);
            Optional<R> found = check.find(current);
            if (found.isPresent()) {
                return new Outcome<>(found.get(), true);
            }
            Duration backoff = initialBackoff;
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                R written = write.write(current);
                current = registry.fetchManifest(repository, tag);
                if (check.find(current).isPresent()) {
                    return new Outcome<>(written, false);
                }
                listener.warning("sign", "another writer replaced " + repository.name() + ":" + tag + " at the same time; retrying (attempt "
                        + (attempt + 1) + ")");
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
            throw new SignaturePublishException("could not store the " + what + " at " + repository.name() + ":" + tag + " after "
                    + maxAttempts + " attempts: other writers kept replacing the tag");
        } catch (IllegalArgumentException e) {
            throw new SignaturePublishException("the existing " + what + " at " + repository.name() + ":" + tag
                    + " is malformed, so appending to it could lose signatures it holds: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The JVM-wide lock of {@code tag} in {@code repository}; reentrant, so a caller may hold it around a longer
     * sequence that includes {@link #run}.
     */
    static ReentrantLock lock(ImageReference repository, String tag) {
        return TAG_LOCKS[Math.floorMod((repository.name() + ":" + tag).hashCode(), TAG_LOCKS.length)];
    }

    private static void sleep(Duration base) throws SignaturePublishException {
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, base.toMillis()));
        try {
            Thread.sleep(base.toMillis() + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignaturePublishException("interrupted while retrying; what the tag held is untouched");
        }
    }
}
