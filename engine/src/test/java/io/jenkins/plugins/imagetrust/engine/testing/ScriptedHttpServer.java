package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A raw-socket HTTP/1.1 server on 127.0.0.1 for fault injection: the script sees each request and answers with
 * whatever bytes it likes (wrong digests, endless or stalled bodies, resets, redirects). One request per connection
 * ({@code Connection: close}); every request is recorded.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /** A request as received; header names in lower case. */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        public String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }
    }

    /** The script: answers one request through the exchange. */
    @FunctionalInterface
    public interface Script {
        void answer(Request request, Exchange exchange) throws Exception;
    }

    /** The connection of one request. */
    public static final class Exchange {
        private final Socket socket;
        private final OutputStream out;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** A complete response with Content-Length; {@code headers} are name, value pairs. */
        public void respond(int status, byte[] body, String... headers) throws IOException {
            writeHead(status, body.length, headers);
            out.write(body);
            out.flush();
        }

        /** A response without body whose Content-Length is {@code declaredLength} (for HEAD), or 0. */
        public void respondHead(int status, long declaredLength, String... headers) throws IOException {
            writeHead(status, declaredLength, headers);
            out.flush();
        }

        public void respond(int status, String body, String... headers) throws IOException {
            respond(status, body.getBytes(StandardCharsets.UTF_8), headers);
        }

        /** Status line and headers; {@code contentLength} < 0 means chunked. The body is then the script's to write. */
        public void writeHead(int status, long contentLength, String... headers) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Scripted\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (contentLength >= 0) {
                head.append("Content-Length: ").append(contentLength).append("\r\n");
            } else {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Raw bytes on the wire (a body part, a chunk). */
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** One chunk of a chunked body. */
        public void writeChunk(byte[] bytes) throws IOException {
            write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            write(bytes);
            write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Closes the connection with a TCP RST. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public boolean isClosed() {
            return socket.isClosed();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Throwable> scriptFailures = Collections.synchronizedList(new ArrayList<>());

    private ScriptedHttpServer(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread acceptor = new Thread(this::acceptLoop, "scripted-http-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedHttpServer start(Script script) throws IOException {
        return new ScriptedHttpServer(script);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public URI uri(String path) {
        return URI.create("http://" + hostPort() + path);
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Exceptions the script threw (other than the client hanging up): a test should assert none. */
    public List<Throwable> scriptFailures() {
        synchronized (scriptFailures) {
            return List.copyOf(scriptFailures);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread worker = new Thread(() -> serve(socket), "scripted-http-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Request request = read(socket.getInputStream());
            if (request == null) {
                return;
            }
            requests.add(request);
            script.answer(request, new Exchange(socket));
        } catch (SocketException e) {
            // the client hung up (cap reached, deadline passed): expected in these tests
        } catch (Exception e) {
            if (!(e instanceof InterruptedException)) {
                scriptFailures.add(e);
            }
        } finally {
            open.remove(socket);
        }
    }

    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).strip());
            }
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length").get(0)) : 0;
        byte[] body = in.readNBytes(length);
        return new Request(parts[0], parts.length > 1 ? parts[1] : "/", headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                out.write(c);
            }
        }
        return c < 0 && out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
