package io.jenkins.plugins.imagetrust.engine.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects a response body up to a cap, one buffer list at a time. Past the cap it cancels the subscription (so an
 * endless body stops there) and either fails with {@link CappedRead.TooLargeException} or, for error bodies that are only
 * read for their message, ends with the bytes so far.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    /** The exchange's deadline passed while the body was still arriving (or before it began). */
    static final class DeadlineExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineExceededException() {
            super("the exchange's deadline passed before the body was complete");
        }
    }

    private final long cap;
    private final boolean truncate;
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean truncated;

    CappedBodySubscriber(long cap, boolean truncate, long declaredLength) {
        this.cap = cap;
        this.truncate = truncate;
        if (declaredLength > cap && !truncate) {
            result.completeExceptionally(new CappedRead.TooLargeException("the response body", cap));
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.compareAndSet(null, s) || result.isDone()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int n = buffer.remaining();
            if (collected.size() + (long) n > cap) {
                cancel();
                if (truncate) {
                    byte[] part = new byte[(int) (cap - collected.size())];
                    buffer.get(part);
                    collected.write(part, 0, part.length);
                    truncated = true;
                    result.complete(collected.toByteArray());
                } else {
                    result.completeExceptionally(new CappedRead.TooLargeException("the response body", cap));
                }
                return;
            }
            byte[] chunk = new byte[n];
            buffer.get(chunk);
            collected.write(chunk, 0, n);
        }
        subscription.get().request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(collected.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Whether the body was cut at the cap (only in truncating mode). */
    boolean truncated() {
        return truncated;
    }

    /** The deadline passed: stop the transfer and fail the body, so a caller blocked on it returns. Idempotent. */
    void expire() {
        cancel();
        result.completeExceptionally(new DeadlineExceededException());
    }

    /** Stops the transfer (cap reached, or the caller's deadline passed). */
    void cancel() {
        Flow.Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
    }
}
