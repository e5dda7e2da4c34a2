package io.jenkins.plugins.imagetrust.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real docker-registry with {@code auth: token} and a small token server in the test JVM (JDK HttpServer) that
 * mints ES256 JWTs with an {@code x5c} header; the self-signed certificate is the registry's
 * {@code rootcertbundle}. Basic credentials {@link #USER}/{@link #PASSWORD} get every action they ask for;
 * anonymous callers get {@link #anonymousActions} (none by default). Every token request is recorded.
 */
public class TokenRegistryFixture extends RegistryFixture {
    public static final String USER = "signer";
    public static final String PASSWORD = "correct horse battery staple";
    public static final String SERVICE = "image-trust-test-registry";
    public static final String ISSUER = "image-trust-test-token-issuer";

    /** A request the token server saw: the Authorization scheme ({@code none}, {@code basic}, {@code bearer}…), the user, the scopes. */
    public record TokenRequest(String method, String authorizationScheme, String user, List<String> scopes, String service,
            int status) {
    }

    private final List<TokenRequest> tokenRequests = Collections.synchronizedList(new ArrayList<>());
    private volatile Set<String> anonymousActions = Set.of();
    private volatile boolean answerWithAccessTokenField;
    private HttpServer tokenServer;
    private KeyPair signingKey;
    private X509Certificate certificate;

    @Override
    protected String extraConfig(Path workDir) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            signingKey = generator.generateKeyPair();
            X500Name name = new X500Name("CN=image-trust test token issuer");
            Instant now = Instant.now();
            certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(24 * 3600)), name, signingKey.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey.getPrivate())));
        } catch (Exception e) {
            throw new IOException("could not make the token signing certificate", e);
        }
        Path bundle = workDir.resolve("token-root.pem");
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded(certificate))
                + "\n-----END CERTIFICATE-----\n");
        tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenServer.createContext("/token", this::issue);
        tokenServer.start();
        return "auth:\n  token:\n"
                + "    realm: " + realm() + "\n"
                + "    service: " + SERVICE + "\n"
                + "    issuer: " + ISSUER + "\n"
                + "    rootcertbundle: " + bundle + "\n";
    }

    @Override
    public void stop() {
        super.stop();
        if (tokenServer != null) {
            tokenServer.stop(0);
            tokenServer = null;
        }
    }

    /** {@code http://127.0.0.1:<port>/token}. */
    public String realm() {
        return "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
    }

    /** The actions anonymous callers get (e.g. {@code Set.of("pull")}). */
    public void anonymousActions(Set<String> actions) {
        this.anonymousActions = Set.copyOf(actions);
    }

    /** Answer with {@code access_token} only (OAuth2 style) instead of {@code token}. */
    public void answerWithAccessTokenField(boolean accessTokenField) {
        this.answerWithAccessTokenField = accessTokenField;
    }

    public List<TokenRequest> tokenRequests() {
        synchronized (tokenRequests) {
            return List.copyOf(tokenRequests);
        }
    }

    public void clearTokenRequests() {
        tokenRequests.clear();
    }

    private void issue(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> scopes = new ArrayList<>();
            String service = "";
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (key.equals("scope")) {
                    scopes.add(value);
                } else if (key.equals("service")) {
                    service = value;
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String scheme = authorization == null ? "none" : authorization.split(" ", 2)[0].toLowerCase(java.util.Locale.ROOT);
            String user = null;
            boolean authenticated = false;
            if (scheme.equals("basic")) {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                user = colon < 0 ? decoded : decoded.substring(0, colon);
                authenticated = decoded.equals(USER + ":" + PASSWORD);
            }
            int status = !scheme.equals("none") && !authenticated ? 401 : 200;
            tokenRequests.add(new TokenRequest(exchange.getRequestMethod(), scheme, user, List.copyOf(scopes), service, status));
            if (status != 200) {
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            String token = jwt(authenticated ? USER : "", scopes, authenticated);
            ObjectNode body = new ObjectMapper().createObjectNode();
            body.put(answerWithAccessTokenField ? "access_token" : "token", token);
            body.put("expires_in", 300);
            body.put("issued_at", Instant.now().toString());
            send(exchange, 200, body.toString());
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private String jwt(String subject, List<String> scopes, boolean authenticated) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode().put("typ", "JWT").put("alg", "ES256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(encoded(certificate)));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = json.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length < 3) {
                continue;
            }
            Set<String> granted = new LinkedHashSet<>();
            for (String action : parts[parts.length - 1].split(",")) {
                if (authenticated || anonymousActions.contains(action)) {
                    granted.add(action);
                }
            }
            ObjectNode entry = access.addObject().put("type", parts[0])
                    .put("name", String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1)));
            ArrayNode actions = entry.putArray("actions");
            granted.forEach(actions::add);
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format"); // JWS wants raw r||s
            signer.initSign(signingKey.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
