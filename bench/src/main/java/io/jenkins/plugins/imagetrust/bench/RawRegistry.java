package io.jenkins.plugins.imagetrust.bench;

import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The baseline: the registry requests an operation needs, issued directly with a {@link HttpClient} configured as
 * {@code RegistryClient} configures its own (no redirects, 10 s connect timeout, HTTP/1.1 over plain HTTP, a 60 s
 * request timeout). Bodies are prepared beforehand, so what it measures is the wire and the registry alone.
 */
final class RawRegistry {
    private static final String ACCEPT_MANIFESTS = String.join(", ", MediaTypes.ALL_MANIFESTS);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;

    /** @param hostPort the registry's {@code host:port}, spoken to over plain HTTP */
    RawRegistry(String hostPort) {
        this.base = URI.create("http://" + hostPort);
    }

    /** The bodies a cosign signature of one image consists of, made before the clock starts. */
    record SignatureUpload(String repository, String tag, String signatureTag, byte[] payload, Digest payloadDigest,
            byte[] config, Digest configDigest, byte[] manifest) {
    }

    /** What verifying one signed image fetches. */
    record SignatureRead(String repository, String tag, String signatureTag, Digest payloadDigest) {
    }

    /**
     * The requests of a first signature: HEAD the image manifest, GET the (absent) .sig manifest, HEAD + POST + PUT
     * the payload and the config blobs, PUT the .sig manifest, GET it back.
     */
    void sign(SignatureUpload upload) throws IOException, InterruptedException {
        sign(upload, false);
    }

    /**
     * {@link #sign} with the confirmation issue 13 requires of a signer whose tag other processes may write: a HEAD of
     * the .sig tag before the PUT (has it moved?), then {@code settle} after the signature is stored, and a HEAD
     * confirming the tag is what was written.
     */
    void signConfirmed(SignatureUpload upload, Duration settle) throws IOException, InterruptedException {
        sign(upload, true);
        Thread.sleep(settle.toMillis());
        head(upload.repository(), upload.signatureTag(), 200);
    }

    private void sign(SignatureUpload upload, boolean checkBeforePut) throws IOException, InterruptedException {
        head(upload.repository(), upload.tag(), 200);
        storeSignature(upload, checkBeforePut);
    }

    /** The bodies of a first cosign signature of an image index and of each manifest it lists. */
    record IndexSignatureUpload(String repository, String tag, Digest indexDigest, List<SignatureUpload> listed, SignatureUpload index) {
    }

    /**
     * The requests of a first recursive signature of an index: HEAD the index, GET it (to read what it lists), store
     * the signature of each listed manifest, {@code pool}'s threads at a time, then the index's own (9 requests each:
     * {@link #sign} without its HEAD).
     */
    void signIndex(IndexSignatureUpload upload, ExecutorService pool) throws Exception {
        signIndex(upload, pool, false);
    }

    /**
     * {@link #signIndex} with the confirmation of {@link #signConfirmed} for each signature, the settle delays
     * overlapped: a HEAD before each PUT, then, once the index's signature is stored, one {@code settle} and the
     * confirming HEADs of all of them, {@code pool}'s threads at a time.
     */
    void signIndexConfirmed(IndexSignatureUpload upload, ExecutorService pool, Duration settle) throws Exception {
        signIndex(upload, pool, true);
        Thread.sleep(settle.toMillis());
        List<SignatureUpload> all = new ArrayList<>(upload.listed());
        all.add(upload.index());
        List<Callable<Void>> confirmations = new ArrayList<>();
        for (SignatureUpload signature : all) {
            confirmations.add(() -> {
                head(signature.repository(), signature.signatureTag(), 200);
                return null;
            });
        }
        awaitAll(pool.invokeAll(confirmations));
    }

    private void signIndex(IndexSignatureUpload upload, ExecutorService pool, boolean checkBeforePut) throws Exception {
        head(upload.repository(), upload.tag(), 200);
        expect(send(request(manifestUri(upload.repository(), upload.indexDigest().toString())).header("Accept", ACCEPT_MANIFESTS).GET()), 200);
        List<Callable<Void>> stores = new ArrayList<>();
        for (SignatureUpload listed : upload.listed()) {
            stores.add(() -> {
                storeSignature(listed, checkBeforePut);
                return null;
            });
        }
        awaitAll(pool.invokeAll(stores));
        storeSignature(upload.index(), checkBeforePut);
    }

    private static void awaitAll(List<Future<Void>> futures) throws Exception {
        for (Future<Void> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * GET the (absent) .sig manifest, HEAD + POST + PUT the payload and the config blobs, (HEAD the .sig tag: still
     * absent?) PUT the .sig manifest, GET it back.
     */
    private void storeSignature(SignatureUpload upload, boolean checkBeforePut) throws IOException, InterruptedException {
        expect(send(request(manifestUri(upload.repository(), upload.signatureTag())).header("Accept", ACCEPT_MANIFESTS).GET()), 404);
        uploadBlob(upload.repository(), upload.payload(), upload.payloadDigest());
        uploadBlob(upload.repository(), upload.config(), upload.configDigest());
        if (checkBeforePut) {
            head(upload.repository(), upload.signatureTag(), 404);
        }
        expect(send(request(manifestUri(upload.repository(), upload.signatureTag()))
                .header("Content-Type", MediaTypes.OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(upload.manifest()))), 201);
        expect(send(request(manifestUri(upload.repository(), upload.signatureTag())).header("Accept", ACCEPT_MANIFESTS).GET()), 200);
    }

    /**
     * The requests of a verification that reads both signature formats: HEAD the image manifest, GET the .sig
     * manifest, GET the payload blob, then look for bundle referrers: GET the referrers API (404 on a registry
     * without it, like docker-registry 2.8) and GET the fallback tag {@code sha256-<hex>} (404: no bundle).
     */
    void verify(SignatureRead read) throws IOException, InterruptedException {
        head(read.repository(), read.tag(), 200);
        expect(send(request(manifestUri(read.repository(), read.signatureTag())).header("Accept", ACCEPT_MANIFESTS).GET()), 200);
        expect(send(request(base.resolve("/v2/" + read.repository() + "/blobs/" + read.payloadDigest())).GET()), 200);
        String fallbackTag = read.signatureTag().substring(0, read.signatureTag().length() - ".sig".length());
        String imageDigest = fallbackTag.replaceFirst("-", ":");
        expect(send(request(base.resolve("/v2/" + read.repository() + "/referrers/" + imageDigest))
                .header("Accept", MediaTypes.OCI_INDEX).GET()), 404);
        expect(send(request(manifestUri(read.repository(), fallbackTag)).header("Accept", ACCEPT_MANIFESTS).GET()), 404);
    }

    private void head(String repository, String reference, int status) throws IOException, InterruptedException {
        expect(send(request(manifestUri(repository, reference)).header("Accept", ACCEPT_MANIFESTS)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())), status);
    }

    private void uploadBlob(String repository, byte[] content, Digest digest) throws IOException, InterruptedException {
        expect(send(request(base.resolve("/v2/" + repository + "/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody())), 404);
        HttpResponse<byte[]> session = expect(send(request(base.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())), 202);
        String location = session.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("upload session answer without Location"));
        URI sessionUri = base.resolve(location);
        String separator = sessionUri.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(sessionUri + separator + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        expect(send(request(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))), 201);
    }

    private URI manifestUri(String repository, String reference) {
        return base.resolve("/v2/" + repository + "/manifests/" + reference);
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).version(HttpClient.Version.HTTP_1_1);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> expect(HttpResponse<byte[]> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                    + ", expected " + status);
        }
        return response;
    }
}
