package io.jenkins.plugins.imagetrust.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SoftHSM2 token per test class, in its own temporary token folder (JUnit 5 extension; register it as a
 * static {@code @RegisterExtension} field). Keys are generated inside the token with {@code pkcs11-tool}; each gets
 * a certificate with the same CKA_ID, because SunPKCS11 lists a private key only beside one.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} from the process environment once, when the library initialises, and a JVM
 * cannot change its own environment. So code that loads the module through SunPKCS11 runs in a forked JVM
 * ({@link #runJava}) whose environment points at this token's configuration: every test class gets its own token,
 * and the surefire JVM never loads the library.
 */
public final class SoftHsmFixture implements BeforeAllCallback, AfterAllCallback {
    public static final String TOKEN_LABEL = "image-trust-test";
    private static final List<String> MODULE_CANDIDATES = List.of(
            "/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so");
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private final String userPin;
    private final String soPin;
    private Path dir;
    private Path conf;
    private Path module;
    private Path softhsmUtil;
    private Path pkcs11Tool;
    private long slotId;

    /** A fixture with the given user PIN (the SO PIN is fixed; tests never need it). */
    public SoftHsmFixture(String userPin) {
        this.userPin = userPin;
        this.soPin = "so-" + userPin;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        softhsmUtil = RequiredBinaries.require("softhsm2-util");
        pkcs11Tool = RequiredBinaries.require("pkcs11-tool");
        module = findModule().orElseGet(() -> {
            RequiredBinaries.require("libsofthsm2.so (softhsm2 package)");
            return null;
        });
        dir = Files.createTempDirectory("softhsm-");
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        String output = run(List.of(softhsmUtil.toString(), "--init-token", "--free", "--label", TOKEN_LABEL,
                "--pin", userPin, "--so-pin", soPin));
        Matcher slot = SLOT.matcher(output);
        if (!slot.find()) {
            Assertions.fail("softhsm2-util printed no slot id:\n" + output);
        }
        slotId = Long.parseLong(slot.group(1));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Where libsofthsm2.so is on this machine. */
    public static Optional<Path> findModule() {
        return MODULE_CANDIDATES.stream().map(Path::of).filter(Files::isRegularFile).findFirst();
    }

    public Path module() {
        return module;
    }

    /** The token's slot id (SoftHSM assigns a new one at every init). */
    public long slotId() {
        return slotId;
    }

    public char[] userPin() {
        return userPin.toCharArray();
    }

    /** The environment a process needs to see this token. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", conf.toString());
    }

    public Path dir() {
        return dir;
    }

    /**
     * Generates a key pair inside the token ({@code keyType} as pkcs11-tool takes it: {@code EC:prime256v1},
     * {@code rsa:2048}) and stores a certificate for it with the same id; {@code certificateLabel} null stores the
     * certificate without a label. Returns the public key (DER SubjectPublicKeyInfo) as the token reports it.
     */
    public byte[] generateKeyPair(String keyType, String idHex, String keyLabel, String certificateLabel) {
        generateKeyPairWithoutCertificate(keyType, idHex, keyLabel);
        Path publicKey = dir.resolve("pub-" + idHex + ".der");
        run(List.of(pkcs11Tool.toString(), "--module", module.toString(), "--token-label", TOKEN_LABEL,
                "--read-object", "--type", "pubkey", "--id", idHex, "--output-file", publicKey.toString()));
        try {
            byte[] spki = Files.readAllBytes(publicKey);
            Path certificate = dir.resolve("cert-" + idHex + ".der");
            Files.write(certificate, certificateFor(spki, keyLabel));
            List<String> write = new ArrayList<>(List.of(pkcs11Tool.toString(), "--module", module.toString(), "--token-label", TOKEN_LABEL,
                    "--login", "--pin", userPin, "--write-object", certificate.toString(), "--type", "cert", "--id", idHex));
            if (certificateLabel != null) {
                write.addAll(List.of("--label", certificateLabel));
            }
            run(write);
            return spki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key pair inside the token with no certificate: invisible to SunPKCS11 (the caveat tests show). */
    public void generateKeyPairWithoutCertificate(String keyType, String idHex, String keyLabel) {
        run(List.of(pkcs11Tool.toString(), "--module", module.toString(), "--token-label", TOKEN_LABEL, "--login", "--pin", userPin,
                "--keypairgen", "--key-type", keyType, "--id", idHex, "--label", keyLabel));
    }

    /** A certificate carrying {@code spki}. Its issuer signature is made with a throwaway key: only the key matters. */
    private static byte[] certificateFor(byte[] spki, String subject) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair issuerKey = generator.generateKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=image-trust test issuer"),
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=" + subject), SubjectPublicKeyInfo.getInstance(spki));
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("could not build the test certificate", e);
        }
    }

    /** The outcome of a forked JVM: exit code and everything it printed. */
    public record JavaRun(int exitCode, String output) {
    }

    /**
     * Runs {@code mainClass} (from this test classpath) in a new JVM whose environment holds this token's
     * {@code SOFTHSM2_CONF}; {@code stdin} is written to its standard input (PINs go there, never on a command line).
     */
    public JavaRun runJava(Class<?> mainClass, List<String> args, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            Path log = Files.createTempFile(dir, "java-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment());
            Process process = builder.start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail("forked JVM " + mainClass.getSimpleName() + " did not finish within 120 s:\n" + Files.readString(log));
            }
            return new JavaRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String run(List<String> command) {
        try {
            Path log = Files.createTempFile(dir, "tool-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment());
            Process process = builder.start();
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(command.get(0) + " did not finish within " + TOOL_TIMEOUT);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                Assertions.fail(String.join(" ", command).replace(userPin, "****") + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
