package io.jenkins.plugins.imagetrust.engine.security;

import io.jenkins.plugins.imagetrust.engine.ImageSigner;
import io.jenkins.plugins.imagetrust.engine.ImageVerifier;
import io.jenkins.plugins.imagetrust.engine.SignRequest;
import io.jenkins.plugins.imagetrust.engine.SignResult;
import io.jenkins.plugins.imagetrust.engine.events.ProgressEvent;
import io.jenkins.plugins.imagetrust.engine.events.ProgressListener;
import io.jenkins.plugins.imagetrust.engine.keys.Signer;
import io.jenkins.plugins.imagetrust.engine.policy.TrustPolicy;
import io.jenkins.plugins.imagetrust.engine.policy.TrustedKey;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.registry.auth.RegistryCredentials;
import io.jenkins.plugins.imagetrust.engine.testing.TestImages;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One sign → verify round trip with secrets in play, recording everything the engine hands back: every progress
 * event, the {@code toString()} of every object, and the full stack trace of every exception (including the failures
 * a wrong secret causes). {@link #text()} is what a test searches for secrets. Used in-process and by
 * {@link SecretLeakProbe} in a forked JVM (PKCS#11).
 */
public final class SecretExercise {
    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final StringBuilder captured = new StringBuilder();
    private final ProgressListener listener = events::add;

    /** Records what {@code thrown} would show anywhere: message, causes, suppressed, stack trace, toString. */
    public void capture(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        captured.append("EXCEPTION ").append(thrown).append('\n').append(trace).append('\n');
    }

    public void capture(String label, Object value) {
        captured.append("TOSTRING ").append(label).append(' ').append(value).append('\n');
    }

    public ProgressListener listener() {
        return listener;
    }

    /**
     * Pushes an image with Basic credentials ({@code user}/{@code password}), signs it with {@code signer}, verifies it
     * against a policy trusting the signer, and makes a registry call with {@code wrongPassword} that must fail.
     * Returns whether the image verified as trusted.
     */
    public boolean signAndVerify(ImageReference image, String user, char[] password, char[] wrongPassword, Signer signer) throws Exception {
        RegistryCredentials credentials = RegistryCredentials.basic(user, password);
        capture("credentials", credentials);
        RegistryClient registry = RegistryClient.builder().credentials(credentials).listener(listener).build();
        capture("registry", registry);
        capture("signer", signer);
        Digest digest = TestImages.push(registry, image);
        SignRequest request = SignRequest.builder(image).expectedDigest(digest).annotations(Map.of("build", "42")).build();
        capture("request", request);
        ImageSigner imageSigner = ImageSigner.builder().registry(registry).signer(signer).listener(listener).build();
        capture("imageSigner", imageSigner);
        SignResult result = imageSigner.sign(request);
        capture("result", result);
        TrustedKey key = TrustedKey.builder("release", signer.publicKey()).scheme(signer.scheme()).build();
        capture("trustedKey", key);
        TrustPolicy policy = TrustPolicy.builder().key(key).requiredAnnotation("build", "42").build();
        capture("policy", policy);
        ImageVerifier verifier = ImageVerifier.builder().registry(registry).policy(policy).listener(listener).build();
        capture("imageVerifier", verifier);
        VerificationReport report = verifier.verify(image);
        capture("report", report);
        capture("reportJson", report.toJson());
        capture("summary", report.summary());
        report.signatures().forEach(check -> capture("check", check));

        try (RegistryCredentials wrong = RegistryCredentials.basic(user, wrongPassword)) {
            RegistryClient refused = RegistryClient.builder().credentials(wrong).listener(listener).build();
            refused.resolve(image);
            throw new AssertionError("the registry accepted a wrong password");
        } catch (io.jenkins.plugins.imagetrust.engine.registry.RegistryException expected) {
            capture(expected);
        }
        credentials.close();
        return report.trusted();
    }

    /** Everything recorded: events (as records and as the CLI/plugin would print them), toStrings, exceptions. */
    public String text() {
        StringBuilder all = new StringBuilder(captured);
        for (ProgressEvent event : events) {
            all.append("EVENT ").append(event).append('\n').append(event.severity()).append(' ').append(event.operation()).append(": ")
                    .append(event.message()).append('\n');
        }
        return all.toString();
    }

    public int eventCount() {
        return events.size();
    }
}
