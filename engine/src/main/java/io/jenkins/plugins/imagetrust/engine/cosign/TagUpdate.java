package io.jenkins.plugins.imagetrust.engine.cosign;

import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.http.Sleeper;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.ManifestConflictException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryErrorException;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryException;
import io.jenkins.plugins.imagetrust.engine.signature.SignaturePublishException;
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
 * Step 1 is {@link #write}, steps 2–3 {@link Pending#confirm}: a sign writes all its tags (both formats, every
 * manifest of an index) and then lets them settle together ({@code PendingSignature.settleAll}), so it waits one settle delay, not
 * one per tag. The JVM lock is held for step 1 only: a writer in this JVM that starts after our PUT reads our entry.
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
        /** The last write this set's holders made per tag (slots as the locks: a collision only forgets one). */
        private final OwnWrite[] lastWrites = new OwnWrite[256];

        /** A write of {@code where} that landed with {@code digest}, whose settle delay ends at {@code settledAt}. */
        private record OwnWrite(String where, Digest digest, long settledAt) {
        }

        /** A set of its own: publishers holding different sets behave like separate processes (tests only). */
        TagLocks() {
            for (int i = 0; i < locks.length; i++) {
                locks[i] = new ReentrantLock();
            }
        }

        /** The lock of {@code tag} in {@code repository}; reentrant, so a caller may hold it around {@link #run}. */
        ReentrantLock lock(ImageReference repository, String tag) {
            return locks[slot(repository, tag)];
        }

        private int slot(ImageReference repository, String tag) {
            return Math.floorMod((repository.name() + ":" + tag).hashCode(), locks.length);
        }

        synchronized void wrote(ImageReference repository, String tag, Digest digest, long settledAt) {
            lastWrites[slot(repository, tag)] = new OwnWrite(repository.name() + ":" + tag, digest, settledAt);
        }

        /**
         * Whether {@code digest} is the tag's state as a later write from this set left it, and that write's settle
         * delay has passed: a tag moved by our own next write (the signature's and the attestations' bundles share the
         * fallback tag) needs no second settle, its state is as settled as that write's own confirmation will find it.
         */
        synchronized boolean settledOwnWrite(ImageReference repository, String tag, Digest digest) {
            OwnWrite last = lastWrites[slot(repository, tag)];
            return last != null && last.where().equals(repository.name() + ":" + tag) && last.digest().equals(digest)
                    && System.nanoTime() - last.settledAt() >= 0;
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
            return new Settings(12, Duration.ofMillis(20), Duration.ofMillis(800), Duration.ofSeconds(60), PendingWrite.MIN_SETTLE,
                    Sleeper.SYSTEM, TagLocks.JVM);
        }

        Settings withLocks(TagLocks own) {
            return new Settings(maxAttempts, initialBackoff, maxBackoff, maxTime, minSettle, sleeper, own);
        }
    }

    /** Looks for our addition in the tag's current manifest; the result when it is there. */
    interface Check<R> {
        Optional<R> find(Optional<Manifest> current) throws RegistryException, KeyException, MalformedDocumentException;
    }

    /** Prepares the tag's next document as {@code current} plus our addition (pushing the blobs it needs). */
    interface Write<R> {
        Next<R> prepare(Optional<Manifest> current) throws RegistryException, KeyException, MalformedDocumentException;
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
     * Adds to {@code tag} in {@code repository} unless {@code check} finds the addition already there: the first
     * phase of an update, which reads the tag and writes tag + ours (step 1 above). The write is not confirmed yet: {@link Pending#confirm} does that once its settle delay
     * has passed, so that the writes of one sign (the {@code .sig} tag and the referrers fallback tag, the manifests
     * of an index) can settle at the same time ({@code PendingSignature.settleAll}).
     *
     * @param what names the tag's content in messages, e.g. "signature manifest"
     * @throws SignaturePublishException when no write landed (other writers kept moving the tag), or the tag's
     *         document is malformed (appending to it could lose what it holds)
     */
    <R> Pending<R> write(ImageReference repository, String tag, String what, Check<R> check, Write<R> write)
            throws RegistryException, KeyException, SignaturePublishException {
        Pending<R> pending = new Pending<>(repository, tag, what, check, write);
        ReentrantLock lock = settings.locks().lock(repository, tag);
        lock.lock();
        try {
            Optional<Manifest> current = read(repository, tag);
            Optional<R> found = pending.find(current);
            if (found.isPresent()) {
                pending.outcome = new Outcome<>(found.get(), true);
                return pending;
            }
            pending.current = current;
            pending.writeUntilLanded();
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A write of the tag that landed and awaits its confirmation, or an addition found already there. Made on one
     * thread, it may be confirmed on another once handed over (through a {@code Future}); not for concurrent use.
     */
    final class Pending<R> {
        private final ImageReference repository;
        private final String tag;
        private final String what;
        private final Check<R> check;
        private final Write<R> write;
        private final long started = System.nanoTime();
        private final long deadline = started + settings.maxTime().toNanos();
        private Duration backoff = settings.initialBackoff();
        private int attempt;
        private boolean contended;
        private Optional<Manifest> current = Optional.empty();
        /** What the last write put; null before one landed. */
        private Next<R> written;
        /** How long to wait after the last write before reading the tag back, and the {@code nanoTime} that ends. */
        private Duration settle;
        private long settledAt;
        private Outcome<R> outcome;

        private Pending(ImageReference repository, String tag, String what, Check<R> check, Write<R> write) {
            this.repository = repository;
            this.tag = tag;
            this.what = what;
            this.check = check;
            this.write = write;
        }

        private String where() {
            return repository.name() + ":" + tag;
        }

        boolean awaitsConfirmation() {
            return outcome == null && written != null;
        }

        /** The {@code nanoTime} at which the settle delay after the last write ends. */
        long settledAt() {
            return settledAt;
        }

        /**
         * Step 2 above: waits out what is left of the settle delay, reads the tag back, and while our entry is gone
         * merges onto the current state and writes again (after a randomised back-off), until it is confirmed or
         * attempts or time run out. Returns at once when already confirmed (or found there before writing).
         */
        Outcome<R> confirm() throws RegistryException, KeyException, SignaturePublishException {
            if (outcome != null) {
                return outcome;
            }
            if (written == null) {
                throw new IllegalStateException("nothing was written to " + where());
            }
            while (!settled()) {
                contended = true;
                listener.warning("sign", "another writer replaced " + where() + " at the same time, without our entry; merging again (attempt "
                        + (attempt + 1) + ")");
                backoff = pause(backoff);
                ReentrantLock lock = settings.locks().lock(repository, tag);
                lock.lock();
                try {
                    current = read(repository, tag);
                    writeUntilLanded();
                } finally {
                    lock.unlock();
                }
            }
            outcome = new Outcome<>(written.result(), false);
            return outcome;
        }

        /** Step 1 above, from the state in {@link #current}, under the tag's lock; throws when no write lands. */
        private void writeUntilLanded() throws RegistryException, KeyException, SignaturePublishException {
            while (attempt < settings.maxAttempts() && System.nanoTime() < deadline) {
                attempt++;
                Next<R> next;
                long start;
                try {
                    next = prepare();
                    start = System.nanoTime();
                    Optional<Digest> now = readDigest(repository, tag);
                    if (!now.equals(current.map(Manifest::digest))) {
                        listener.debug("sign", where() + " moved while the update was prepared; merging onto its new state");
                        contended = true;
                        current = read(repository, tag);
                        continue;
                    }
                    registry.pushManifest(repository, tag, next.manifest(), next.mediaType(), current.flatMap(Manifest::entityTag));
                } catch (ManifestConflictException e) {
                    contended = true;
                    listener.warning("sign", "the registry refused to replace " + where() + " because another writer changed it; merging again (attempt "
                            + (attempt + 1) + ")");
                    backoff = pause(backoff);
                    current = read(repository, tag);
                    continue;
                } catch (RegistryErrorException e) {
                    if (!blobBeingWritten(e)) {
                        throw e;
                    }
                    contended = true;
                    listener.warning("sign", "the registry did not find a blob of " + where() + " that another writer is uploading at the same time; "
                            + "writing again (attempt " + (attempt + 1) + ")");
                    backoff = pause(backoff);
                    current = read(repository, tag);
                    continue;
                }
                long landed = System.nanoTime();
                Duration exposed = Duration.ofNanos(landed - start);
                Duration wanted = contended ? contendedSettle(exposed) : exposed;
                settle = settings.minSettle().compareTo(wanted) >= 0 ? settings.minSettle() : wanted;
                settledAt = landed + settle.toNanos();
                written = next;
                settings.locks().wrote(repository, tag, Digest.sha256(next.manifest()), settledAt);
                return;
            }
            throw new SignaturePublishException("could not store the " + what + " at " + where() + ": after " + attempt + " attempts in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis()
                    + " ms, other writers kept replacing the tag without it; nothing of ours is confirmed there, what it held is kept");
        }

        /**
         * Waits out the window in which a writer that read the tag before our write could still replace it (as long
         * as our own check-to-PUT took, at least {@link Settings#minSettle}, from the moment our write landed), then
         * checks the tag: still what we wrote, or moved to a state that still holds our entry (settling again then,
         * within the update's deadline). False when our entry is gone.
         */
        private boolean settled() throws RegistryException, KeyException, SignaturePublishException {
            awaitSettle();
            Optional<Digest> expected = Optional.of(Digest.sha256(written.manifest()));
            while (true) {
                Optional<Digest> now = readDigest(repository, tag);
                if (now.equals(expected)) {
                    return true;
                }
                Optional<Manifest> state = read(repository, tag);
                if (find(state).isEmpty() || System.nanoTime() - deadline >= 0) {
                    return false;
                }
                if (now.isPresent() && settings.locks().settledOwnWrite(repository, tag, now.get())) {
                    return true; // moved by our own later write, settled already, and it holds our entry
                }
                expected = state.map(Manifest::digest);
                listener.debug("sign", where() + " moved after our write and still holds our entry; confirming again");
                sleep(settle);
            }
        }

        /** Sleeps until {@link #settledAt}, rounded up to the millisecond; at once when it has passed. */
        void awaitSettle() throws SignaturePublishException {
            long left = settledAt - System.nanoTime();
            if (left > 0) {
                sleep(Duration.ofMillis((left + 999_999) / 1_000_000));
            }
        }

        /** Our addition in {@code state}, if there; the tag's document is parsed here, and only here. */
        private Optional<R> find(Optional<Manifest> state) throws RegistryException, KeyException, SignaturePublishException {
            try {
                return check.find(state);
            } catch (MalformedDocumentException e) {
                throw malformed(e);
            }
        }

        /** The document to write: {@link #current} plus our addition. */
        private Next<R> prepare() throws RegistryException, KeyException, SignaturePublishException {
            try {
                return write.prepare(current);
            } catch (MalformedDocumentException e) {
                throw malformed(e);
            }
        }

        private SignaturePublishException malformed(MalformedDocumentException e) {
            return new SignaturePublishException("the existing " + what + " at " + where()
                    + " is malformed, so appending to it could lose signatures it holds: " + e.getMessage());
        }
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
    interface TagRead<T> {
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
    <T> T retryingServerErrors(ImageReference repository, String tag, TagRead<T> read)
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
