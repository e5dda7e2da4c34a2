package io.jenkins.plugins.imagetrust.engine.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK clients a {@link RegistryTransport} sends through, by scheme. A JDK {@code HttpClient} built without an
 * {@code SSLContext} initialises the JVM's default one at once (the {@code cacerts} trust store parsed, ~85 ms of a
 * CLI process), even when every request is plain HTTP to a loopback registry. So plain HTTP goes through a client
 * that has no TLS at all (any attempt fails), and HTTPS through a client with the JDK's default TLS set-up, built
 * on the first HTTPS request. A client the caller supplies serves both schemes.
 */
final class HttpClients {
    private final HttpClient plain;
    private final Duration connectTimeout;
    private volatile HttpClient tls;

    private HttpClients(HttpClient plain, HttpClient tls, Duration connectTimeout) {
        this.plain = plain;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
    }

    /** One client for both schemes, as the caller configured it; it must not follow redirects itself. */
    static HttpClients shared(HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must not follow redirects itself (use Redirect.NEVER)");
        }
        return new HttpClients(client, client, null);
    }

    /** A plain-HTTP-only client now, and the TLS client when first needed. */
    static HttpClients byScheme(Duration connectTimeout) {
        HttpClient plain = builder(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(new NoTlsContext())
                // explicit parameters, or the client would ask the context for its defaults
                .sslParameters(new SSLParameters())
                .build();
        return new HttpClients(plain, null, connectTimeout);
    }

    /** The client for {@code uri}'s scheme. */
    HttpClient forUri(URI uri) {
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            return plain;
        }
        HttpClient client = tls;
        if (client == null) {
            synchronized (this) {
                client = tls;
                if (client == null) {
                    client = builder(connectTimeout).build();
                    tls = client;
                }
            }
        }
        return client;
    }

    /** Whether the TLS client exists yet (tests). */
    boolean tlsClientBuilt() {
        return tls != null;
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout);
    }

    /** An {@code SSLContext} that refuses every use: the plain-HTTP client must never speak TLS. */
    static final class NoTlsContext extends SSLContext {
        NoTlsContext() {
            super(new RefusingSpi(), null, "TLS");
        }
    }

    private static final class RefusingSpi extends SSLContextSpi {
        private static IllegalStateException refused() {
            return new IllegalStateException("this HTTP client is for plain HTTP only; HTTPS goes through the TLS client");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this HTTP client is for plain HTTP only");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
