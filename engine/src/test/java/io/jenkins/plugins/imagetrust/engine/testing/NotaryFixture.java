package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code notary-signer} + {@code notary-server} 0.7.0 pair on free loopback ports for one test class:
 * memory storage (a restart forgets everything), HTTPS with a test CA generated here, mutual TLS between
 * server and signer. Register with {@code @RegisterExtension static NotaryFixture notary = new NotaryFixture();}.
 */
public class NotaryFixture implements BeforeAllCallback, AfterAllCallback {
    private ManagedProcess signer;
    private ManagedProcess server;
    private Path root;
    private Path caFile;
    private TestCertificateAuthority authority;
    private int serverPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public void start() throws IOException {
        Path signerBinary = RequiredBinaries.require("notary-signer");
        Path serverBinary = RequiredBinaries.require("notary-server");
        root = Files.createTempDirectory("image-trust-notary");
        authority = new TestCertificateAuthority("Image Trust test CA");
        caFile = authority.writeCertificate(root, "ca.crt");
        Path[] signerTls = authority.writeLeaf(root, "notary-signer", "notary-signer", List.of("notary-signer", "localhost"));
        Path[] serverTls = authority.writeLeaf(root, "notary-server", "notary-server", List.of("notary-server", "localhost"));
        int signerPort = FreePorts.next();
        serverPort = FreePorts.next();

        Path signerConfig = Files.writeString(root.resolve("signer-config.json"), "{\n"
                + "  \"server\": {\"grpc_addr\": \"127.0.0.1:" + signerPort + "\", \"tls_cert_file\": \"" + signerTls[0] + "\","
                + " \"tls_key_file\": \"" + signerTls[1] + "\", \"client_ca_file\": \"" + caFile + "\"},\n"
                + "  \"logging\": {\"level\": \"debug\"},\n"
                + "  \"storage\": {\"backend\": \"memory\", \"default_alias\": \"fixture\"}\n"
                + "}\n");
        // The memory key store ignores it, but the signer's key storage alias wants a passphrase in its environment.
        signer = ManagedProcess.start("notary-signer", List.of(signerBinary.toString(), "-config", signerConfig.toString()),
                Map.of("NOTARY_SIGNER_FIXTURE", "fixture-" + Long.toHexString(System.nanoTime())), root);
        signer.awaitReady(() -> accepts(signerPort), Duration.ofSeconds(30));

        Path serverConfig = Files.writeString(root.resolve("server-config.json"), "{\n"
                + "  \"server\": {\"http_addr\": \"127.0.0.1:" + serverPort + "\", \"tls_cert_file\": \"" + serverTls[0] + "\","
                + " \"tls_key_file\": \"" + serverTls[1] + "\"},\n"
                + "  \"trust_service\": {\"type\": \"remote\", \"hostname\": \"127.0.0.1\", \"port\": \"" + signerPort + "\","
                + " \"tls_ca_file\": \"" + caFile + "\", \"key_algorithm\": \"ecdsa\","
                + " \"tls_client_cert\": \"" + serverTls[0] + "\", \"tls_client_key\": \"" + serverTls[1] + "\"},\n"
                + "  \"logging\": {\"level\": \"debug\"},\n"
                + extraServerConfig()
                + "  \"storage\": {\"backend\": \"memory\"}\n"
                + "}\n");
        server = ManagedProcess.start("notary-server", List.of(serverBinary.toString(), "-config", serverConfig.toString()), Map.of(), root);
        server.awaitReady(this::healthy, Duration.ofSeconds(30));
    }

    /** More notary-server configuration, e.g. {@code "auth": {…},} (each member followed by a comma); none by default. */
    protected String extraServerConfig() {
        return "";
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(URI.create(url() + "/_notary_server/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An SSL context that trusts only the fixture's CA. */
    public SSLContext sslContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", authority.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test SSL context", e);
        }
    }

    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (signer != null) {
            signer.close();
            signer = null;
        }
        if (root != null) {
            RegistryFixture.deleteTree(root);
            root = null;
        }
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String url() {
        return "https://127.0.0.1:" + serverPort;
    }

    /** The CA certificate file that signed the server's certificate (for {@code notary --tlscacert}). */
    public Path caFile() {
        return caFile;
    }

    /** The CA certificate as PEM text. */
    public String caPem() {
        return authority.certificatePem();
    }

    public Path workDir() {
        return root;
    }

    /** The server's log so far (requests and validation failures), for assertions and diagnosis. */
    public String serverLog() {
        return server == null ? "" : server.logText();
    }
}
