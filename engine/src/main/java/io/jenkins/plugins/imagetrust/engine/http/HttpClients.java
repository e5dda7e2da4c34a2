package io.jenkins.plugins.imagetrust.engine.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
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
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK clients an {@link HttpTransport} sends through, by scheme. A JDK {@code HttpClient} built without an
 * {@code SSLContext} initialises the JVM's default one at once (the {@code cacerts} trust store parsed, ~85 ms of a
 * CLI process), even when every request is plain HTTP to a loopback registry. So plain HTTP goes through a client
 * that has no TLS at all (any attempt fails), and HTTPS through a client with the JDK's default TLS set-up, built
 * on the first HTTPS request (with the caller's {@code SSLContext}, e.g. one trusting only a private CA, when given).
 * A client the caller supplies serves both schemes. Neither follows redirects: {@link HttpTransport} does, by its
 * rules.
 */
public final class HttpClients {
    private final HttpClient plain;
    private final Duration connectTimeout;
    private final SSLContext tlsContext;
    private volatile HttpClient tls;

    private HttpClients(HttpClient plain, HttpClient tls, Duration connectTimeout, SSLContext tlsContext) {
        this.plain = plain;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.tlsContext = tlsContext;
    }

    /** One client for both schemes, as the caller configured it; it must not follow redirects itself. */
    public static HttpClients shared(HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must not follow redirects itself (use Redirect.NEVER)");
        }
        return new HttpClients(client, client, null, null);
    }

    /** A plain-HTTP-only client now, and the TLS client (the JDK's default TLS set-up) when first needed. */
    public static HttpClients byScheme(Duration connectTimeout) {
        return byScheme(connectTimeout, null);
    }

    /** A plain-HTTP-only client now, and a TLS client with {@code tlsContext} (null: the JDK's) when first needed. */
    public static HttpClients byScheme(Duration connectTimeout, SSLContext tlsContext) {
        HttpClient plain = builder(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(new NoTlsContext())
                // explicit parameters, or the client would ask the context for its defaults
                .sslParameters(new SSLParameters())
                .build();
        return new HttpClients(plain, null, connectTimeout, tlsContext);
    }

    /** The client for {@code uri}'s scheme. */
    public HttpClient forUri(URI uri) {
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            return plain;
        }
        HttpClient client = tls;
        if (client == null) {
            synchronized (this) {
                client = tls;
                if (client == null) {
                    HttpClient.Builder builder = builder(connectTimeout);
                    if (tlsContext != null) {
                        builder.sslContext(tlsContext);
                    }
                    client = builder.build();
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

    /**
     * A TLS context that trusts only the CA certificate(s) in {@code pem}, instead of the JDK's trust store.
     *
     * @throws IllegalArgumentException when the PEM holds no certificate or one that cannot be used
     */
    public static SSLContext trusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException("the trusted CA PEM holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the trusted CA PEM cannot be used: " + e.getMessage(), e);
        }
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
