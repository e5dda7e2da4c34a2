package io.jenkins.plugins.imagetrust.engine.notary.store;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.LongUnaryOperator;

/**
 * A response body read into memory up to a cap: reading stops (and the connection is released) as soon as
 * the cap is passed, so a hostile server cannot make the client buffer more.
 */
record CappedBody(byte[] bytes, boolean truncated) {

    /** A handler capping successful bodies at {@code capForStatus.applyAsLong(status)} bytes. */
    static HttpResponse.BodyHandler<CappedBody> handler(LongUnaryOperator capForStatus) {
        return info -> new Subscriber(capForStatus.applyAsLong(info.statusCode()));
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<CappedBody> {
        private final long cap;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(long cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<CappedBody> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int room = (int) Math.min(Integer.MAX_VALUE, cap + 1 - buffer.size());
                byte[] chunk = new byte[Math.min(room, item.remaining())];
                item.get(chunk);
                buffer.writeBytes(chunk);
                if (buffer.size() > cap) {
                    subscription.cancel();
                    result.complete(new CappedBody(new byte[0], true));
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new CappedBody(buffer.toByteArray(), false));
        }
    }
}
