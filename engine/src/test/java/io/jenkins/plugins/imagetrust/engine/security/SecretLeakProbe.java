package io.jenkins.plugins.imagetrust.engine.security;

import io.jenkins.plugins.imagetrust.engine.keys.KeyException;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Config;
import io.jenkins.plugins.imagetrust.engine.keys.Pkcs11Signer;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs in a forked JVM started by {@link SecretLeakTest} (SoftHSM reads {@code SOFTHSM2_CONF} from the process
 * environment): a wrong PIN first, then the right one, then {@link SecretExercise} through the real token registry
 * with a PKCS#11 signer. Standard input: PIN, wrong PIN, registry password, wrong registry password (one a line).
 * Prints everything captured, then {@code TRUSTED true|false} and {@code EVENTS <n>}.
 *
 * <p>Arguments: {@code module slotId keyLabel image user}.
 */
public final class SecretLeakProbe {
    private SecretLeakProbe() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        char[] pin = in.readLine().toCharArray();
        char[] wrongPin = in.readLine().toCharArray();
        char[] password = in.readLine().toCharArray();
        char[] wrongPassword = in.readLine().toCharArray();
        SecretExercise exercise = new SecretExercise();
        Pkcs11Config config = Pkcs11Config.builder(Path.of(args[0])).slotId(Long.parseLong(args[1])).keyLabel(args[2]).build();
        exercise.capture("config", config);
        try {
            Pkcs11Signer.open(config, wrongPin).close();
            System.out.println("WRONG PIN ACCEPTED");
        } catch (KeyException expected) {
            exercise.capture(expected);
        }
        try (Pkcs11Signer signer = Pkcs11Signer.open(config, pin)) {
            boolean trusted = exercise.signAndVerify(ImageReference.parse(args[3]), args[4], password, wrongPassword, signer);
            System.out.println(exercise.text());
            System.out.println("TRUSTED " + trusted);
            System.out.println("EVENTS " + exercise.eventCount());
        } catch (Exception e) {
            exercise.capture(e);
            System.out.println(exercise.text());
            System.out.println("FAILED " + e.getClass().getName());
            System.exit(3);
        } finally {
            Arrays.fill(pin, '\0');
            Arrays.fill(wrongPin, '\0');
            Arrays.fill(password, '\0');
            Arrays.fill(wrongPassword, '\0');
        }
    }
}
