package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.ManifestConflictException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryErrorException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read-modify-write of a tag that several writers append to (the {@code .sig} manifest, the referrers fallback
 * index). A write only ever replaces the tag with a document holding everything the tag held when read plus ours.
 *
 * <p>Within one JVM (a Jenkins controller) writers of one tag take turns ({@link TagLocks}). Across processes the
 * registry is the only shared state, and distribution 2.8 (like zot and Harbor) ignores {@code If-Match} on a
 * manifest PUT, so a writer that read the tag before our write can replace it afterwards without our entry. So a
 * writer:
 * <ol>
 * <li>reads the tag, prepares tag + ours (pushing blobs), checks with a HEAD that the tag has not moved meanwhile
 *     (else merges onto the new state first), and PUTs, with {@code If-Match} when the registry gave an ETag (a 412 is
 *     a retry, never a loss);</li>
 * <li>waits a settle delay (at least {@link Settings#minSettle}, and as long as its own check-to-PUT took: the window
 *     in which another writer holding the old state could still land) and reads the tag back (a HEAD; the document
 *     only when it moved): our entry missing means another writer replaced it, so it merges onto what is there now
 *     and writes again, after a randomised back-off; moved but holding our entry, it settles and checks again;</li>
 * <li>only then reports success; when attempts or time run out it fails naming the tag.</li>
 * </ol>
 * What remains: a writer stalled longer than the settle delay between its check and its PUT can still replace the
 * tag without our entry after we confirmed (see {@code docs/security.md}, B12). The referrers API avoids the shared
 * state for bundles altogether.
 */
final class TagUpdate {
    /**
     * A fixed set of locks, a tag's chosen by its name's hash: a long-running controller signs ever new digests, and
     * one lock per tag would grow without end. Two tags that share a lock merely take turns; no caller holds the
     * locks of two tags at once, so sharing cannot deadlock.
     */
    static final class TagLocks {
        /** The locks every publisher in this JVM shares. */
        static final TagLocks JVM = new TagLocks();

        private final ReentrantLock[] locks = new ReentrantLock[256];

        /** A set of its own: publishers holding different sets behave like separate processes (tests only). */
        TagLocks() {
            for (int i = 0; i < locks.length; i++) {
                locks[i] = new ReentrantLock();
            }
        }

        /** The lock of {@code tag} in {@code repository}; reentrant, so a caller may hold it around {@link #run}. */
        ReentrantLock lock(ImageReference repository, String tag) {
            return locks[Math.floorMod((repository.name() + ":" + tag).hashCode(), locks.length)];
        }
    }

    /**
     * How hard an update tries and how long it waits.
     *
     * @param maxAttempts writes before giving up
     * @param initialBackoff the first randomised pause after a lost race (doubling, up to {@code maxBackoff})
     * @param maxTime the whole update's bound, pauses included
     * @param minSettle the shortest wait before the last confirmation
     */
    record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTime, Duration minSettle,
            Sleeper sleeper, TagLocks locks) {
        Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            Objects.requireNonNull(initialBackoff);
            Objects.requireNonNull(maxBackoff);
            Objects.requireNonNull(maxTime);
            Objects.requireNonNull(minSettle);
            Objects.requireNonNull(sleeper);
            Objects.requireNonNull(locks);
        }

        static Settings defaults() {
            return new Settings(12, Duration.ofMillis(20), Duration.ofMillis(800), Duration.ofSeconds(60), Duration.ofMillis(50),
                    Sleeper.SYSTEM, TagLocks.JVM);
        }

        Settings withLocks(TagLocks own) {
            return new Settings(maxAttempts, initialBackoff, maxBackoff, maxTime, minSettle, sleeper, own);
        }
    }

    /** Looks for our addition in the tag's current manifest; the result when it is there. */
    interface Check<R> {
        Optional<R> find(Optional<Manifest> current) throws RegistryException, KeyException;
    }

    /** Prepares the tag's next document as {@code current} plus our addition (pushing the blobs it needs). */
    interface Write<R> {
        Next<R> prepare(Optional<Manifest> current) throws RegistryException, KeyException;
    }

    /** The document to PUT, its media type, and what to report once it is confirmed. */
    record Next<R>(byte[] manifest, String mediaType, R result) {
    }

    /** What the update did: the result, and whether our addition was there before we wrote anything. */
    record Outcome<R>(R value, boolean alreadyPresent) {
    }

    /** Reads of the tag that the registry failed (HTTP 500) before the update gives up. */
    private static final int READ_ATTEMPTS = 5;
    /** The shortest settle delay once other writers were seen at work on the tag. */
    private static final Duration CONTENDED_SETTLE = Duration.ofMillis(250);

    private final RegistryClient registry;
    private final ProgressListener listener;
    private final Settings settings;

    TagUpdate(RegistryClient registry, ProgressListener listener, Settings settings) {
        this.registry = registry;
        this.listener = listener;
        this.settings = settings;
    }

    TagLocks locks() {
        return settings.locks();
    }

    /**
     * Adds to {@code tag} in {@code repository} unless {@code check} finds the addition already there, and confirms
     * it is still there after the settle delay.
     *
     * @param what names the tag's content in messages, e.g. "signature manifest"
     * @throws SignaturePublishException when the addition could not be confirmed (other writers kept replacing the
     *         tag), or the tag's document is malformed (appending to it could lose what it holds)
     */
    <R> Outcome<R> run(ImageReference repository, String tag, String what, Check<R> check, Write<R> write)
            throws RegistryException, KeyException, SignaturePublishException {
        String where = repository.name() + ":" + tag;
        ReentrantLock lock = settings.locks().lock(repository, tag);
        lock.lock();
        try {
            Optional<Manifest> current = read(repository, tag);
            Optional<R> found = check.find(current);
            if (found.isPresent()) {
                return new Outcome<>(found.get(), true);
            }
            long deadline = System.nanoTime() + settings.maxTime().toNanos();
            Duration backoff = settings.initialBackoff();
            int attempt = 0;
            boolean contended = false;
            while (attempt < settings.maxAttempts() && System.nanoTime() < deadline) {
                attempt++;
                Next<R> next;
                long start;
                try {
                    next = write.prepare(current);
                    start = System.nanoTime();
                    Optional<Digest> now = readDigest(repository, tag);
                    if (!now.equals(current.map(Manifest::digest))) {
                        listener.debug("sign", where + " moved while the update was prepared; merging onto its new state");
                        contended = true;
                        current = read(repository, tag);
                        continue;
                    }
                    registry.pushManifest(repository, tag, next.manifest(), next.mediaType(), current.flatMap(Manifest::entityTag));
                } catch (ManifestConflictException e) {
                    contended = true;
                    listener.warning("sign", "the registry refused to replace " + where + " because another writer changed it; merging again (attempt "
                            + (attempt + 1) + ")");
                    backoff = pause(backoff);
                    current = read(repository, tag);
                    continue;
                } catch (RegistryErrorException e) {
                    if (!blobBeingWritten(e)) {
                        throw e;
                    }
                    contended = true;
                    listener.warning("sign", "the registry did not find a blob of " + where + " that another writer is uploading at the same time; "
                            + "writing again (attempt " + (attempt + 1) + ")");
                    backoff = pause(backoff);
                    current = read(repository, tag);
                    continue;
                }
                Duration exposed = Duration.ofNanos(System.nanoTime() - start);
                Optional<Digest> written = Optional.of(Digest.sha256(next.manifest()));
                if (settled(repository, tag, check, written, contended ? contendedSettle(exposed) : exposed, deadline)) {
                    return new Outcome<>(next.result(), false);
                }
                contended = true;
                listener.warning("sign", "another writer replaced " + where + " at the same time, without our entry; merging again (attempt "
                        + (attempt + 1) + ")");
                backoff = pause(backoff);
                current = read(repository, tag);
            }
            throw new SignaturePublishException("could not store the " + what + " at " + where + ": after " + attempt + " attempts in "
                    + Duration.ofNanos(System.nanoTime() - deadline + settings.maxTime().toNanos()).toMillis()
                    + " ms, other writers kept replacing the tag without it; nothing of ours is confirmed there, what it held is kept");
        } catch (IllegalArgumentException e) {
            throw new SignaturePublishException("the existing " + what + " at " + where
                    + " is malformed, so appending to it could lose signatures it holds: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits out the window in which a writer that read the tag before our write could still replace it (as long as
     * our own check-to-PUT took, at least {@link Settings#minSettle}), then checks the tag: still what we wrote, or
     * moved to a state that still holds our entry (settling again then, within the update's deadline). False when
     * our entry is gone.
     */
    private <R> boolean settled(ImageReference repository, String tag, Check<R> check, Optional<Digest> written, Duration exposed,
            long deadline) throws RegistryException, KeyException, SignaturePublishException {
        Optional<Digest> expected = written;
        Duration settle = settings.minSettle().compareTo(exposed) >= 0 ? settings.minSettle() : exposed;
        do {
            sleep(settle);
            Optional<Digest> now = readDigest(repository, tag);
            if (now.equals(expected)) {
                return true;
            }
            Optional<Manifest> state = read(repository, tag);
            if (check.find(state).isEmpty()) {
                return false;
            }
            expected = state.map(Manifest::digest);
            listener.debug("sign", repository.name() + ":" + tag + " moved after our write and still holds our entry; confirming again");
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Other writers seen at work on the tag: several of them, on a machine they keep busy, may take far longer from
     * their check to their PUT than our own exchange took, so wait longer: at least {@link #CONTENDED_SETTLE}, and
     * three times our own check-to-PUT.
     */
    private static Duration contendedSettle(Duration exposed) {
        Duration tripled = exposed.multipliedBy(3);
        return tripled.compareTo(CONTENDED_SETTLE) > 0 ? tripled : CONTENDED_SETTLE;
    }

    /**
     * distribution 2.8 refuses a manifest whose blob another writer is uploading at the same moment (the same
     * payload or config: signers of one image with equal annotations write equal payloads), with 400
     * {@code MANIFEST_BLOB_UNKNOWN} or {@code DIGEST_INVALID}, and fails one of two simultaneous uploads of a blob
     * with 500: transient, so the blobs are pushed again and the manifest written again.
     */
    private static boolean blobBeingWritten(RegistryErrorException e) {
        return e.statusCode() == 500 && "push-blob".equals(e.operation()) || e.statusCode() == 400 && (e.hasErrorCode("MANIFEST_BLOB_UNKNOWN") || e.hasErrorCode("BLOB_UNKNOWN") || e.hasErrorCode("DIGEST_INVALID"));
    }

    /** A push of blobs and then a manifest that refers to them. */
    interface Push<T> {
        T push() throws RegistryException, KeyException;
    }

    /**
     * Runs {@code push} (blobs, then a manifest by digest), again after a pause when the registry refuses the manifest
     * because another writer is uploading one of its blobs at the same moment.
     */
    <T> T pushThroughBlobRaces(String what, Push<T> push) throws RegistryException, KeyException, SignaturePublishException {
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return push.push();
            } catch (RegistryErrorException e) {
                if (!blobBeingWritten(e) || attempt >= settings.maxAttempts()) {
                    throw e;
                }
                listener.warning("sign", "the registry did not find a blob of the " + what + " that another writer is uploading at the same time; "
                        + "pushing again (attempt " + (attempt + 1) + ")");
                backoff = pause(backoff);
            }
        }
    }

    /** Reads of a tag retried when the registry fails on them: they are reads of state being written. */
    private interface TagRead<T> {
        T read() throws RegistryException;
    }

    private Optional<Manifest> read(ImageReference repository, String tag) throws RegistryException, SignaturePublishException {
        return retryingServerErrors(repository, tag, () -> registry.fetchManifest(repository, tag));
    }

    private Optional<Digest> readDigest(ImageReference repository, String tag) throws RegistryException, SignaturePublishException {
        return retryingServerErrors(repository, tag, () -> registry.tagDigest(repository, tag));
    }

    /**
     * distribution 2.8's filesystem storage answers a tag read 500 when it meets the tag's link file while another
     * writer replaces it: a read of a tag under concurrent writes is retried a few times after a pause; a registry
     * that keeps failing still fails the update.
     */
    private <T> T retryingServerErrors(ImageReference repository, String tag, TagRead<T> read)
            throws RegistryException, SignaturePublishException {
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return read.read();
            } catch (RegistryErrorException e) {
                if (e.statusCode() != 500 || attempt >= READ_ATTEMPTS) {
                    throw e;
                }
                listener.debug("sign", "the registry failed reading " + repository.name() + ":" + tag + " (HTTP 500) while it is written; reading again");
                backoff = pause(backoff);
            }
        }
    }

    /** Sleeps a randomised time around {@code base} (half of it plus up to as much again); the next base. */
    private Duration pause(Duration base) throws SignaturePublishException {
        long half = Math.max(1, base.toMillis() / 2);
        sleep(Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1)));
        Duration doubled = base.multipliedBy(2);
        return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }

    private void sleep(Duration duration) throws SignaturePublishException {
        try {
            settings.sleeper().sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignaturePublishException("interrupted while confirming the signature; what the tag held is untouched");
        }
    }
}
