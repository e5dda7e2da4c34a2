package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HostPolicy;
import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.http.HttpTransport;
import io.jenkins.plugins.imagetrust.engine.http.TransportFailure;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs any {@link RegistryEndpoint}: adds {@code Authorization} (only towards the registry's own origin), answers
 * one 401 challenge by authenticating and resending, maps 401/403 to typed exceptions, treats 429/502/503/504 and
 * failed connections as transient, and retries idempotent endpoints. Timeouts and size limits are not retried.
 */
final class RegistryEndpointCaller {
    private final HttpTransport transport;
    private final Authenticator authenticator;
    private final RetryPolicy retryPolicy;

    RegistryEndpointCaller(HttpTransport transport, Authenticator authenticator, RetryPolicy retryPolicy) {
        this.transport = transport;
        this.authenticator = authenticator;
        this.retryPolicy = retryPolicy;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Runs the endpoint, with retries when it is idempotent. */
    <T> T call(Target target, String operation, RegistryEndpoint<T> endpoint) throws RegistryException {
        CallContext context = target.context(operation);
        RetryPolicy.Attempt<T> attempt = () -> callOnce(target, context, endpoint);
        return endpoint.idempotent() ? retryPolicy.run(context, attempt) : retryPolicy.once(context, attempt);
    }

    /** One attempt (plus at most one resend after a 401 challenge); transient failures are left to the caller. */
    <T> T callOnce(Target target, CallContext context, RegistryEndpoint<T> endpoint) throws RegistryException, RetryPolicy.Transient {
        URI uri = endpoint.uri(target.base());
        boolean ownOrigin = HostPolicy.sameOrigin(uri, target.base());
        String authorization = ownOrigin ? authenticator.authorization(target, context) : null;
        HttpResult response = send(context, endpoint, uri, authorization);
        if (response.statusCode() == 401 && ownOrigin) {
            List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
            if (!challenges.isEmpty()) {
                authenticator.onUnauthorized(target, challenges, authorization);
                String renewed = authenticator.authorization(target, context);
                if (renewed != null && !renewed.equals(authorization)) {
                    response = send(context, endpoint, uri, renewed);
                }
            }
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw context.unexpected(response);
        }
        return endpoint.handleResponse(response, context);
    }

    private <T> HttpResult send(CallContext context, RegistryEndpoint<T> endpoint, URI uri, String authorization)
            throws RegistryException, RetryPolicy.Transient {
        Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        HttpTransport.Outgoing request = new HttpTransport.Outgoing(endpoint.method(), uri, headers, endpoint.body(),
                endpoint.maxResponseBytes());
        return sendOnce(transport, context, request, endpoint.describeBody());
    }

    /**
     * Sends through the transport and sorts the outcome: a usable response, a {@link RetryPolicy.Transient} failure,
     * or a typed exception (timeout, size limit, refused redirect or target).
     */
    static HttpResult sendOnce(HttpTransport transport, CallContext context, HttpTransport.Outgoing request,
            String describeBody) throws RegistryException, RetryPolicy.Transient {
        HttpResult response;
        try {
            response = transport.send(context.operation(), request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(context.registry(), context.repository(), context.operation(), "interrupted", e);
        } catch (TransportFailure failure) {
            switch (failure.kind()) {
                case CONNECTION:
                    throw new RetryPolicy.Transient(failure.getMessage(), Optional.empty(), failure.getCause());
                case TIMEOUT:
                    throw new RegistryTimeoutException(context.registry(), context.repository(), context.operation(),
                            failure.getMessage(), failure.getCause());
                case TOO_LARGE:
                    throw new SizeLimitExceededException(context.registry(), context.repository(), context.operation(),
                            failure.cap(), describeBody);
                default:
                    throw new RegistryProtocolException(context.registry(), context.repository(), context.operation(),
                            failure.getMessage(), failure.getCause());
            }
        }
        int status = response.statusCode();
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            List<RegistryError> errors = ErrorBodies.parse(response.body());
            throw new RetryPolicy.Transient("HTTP " + status + (errors.isEmpty() ? "" : " " + errors.get(0)),
                    response.header("Retry-After"), null);
        }
        return response;
    }
}
