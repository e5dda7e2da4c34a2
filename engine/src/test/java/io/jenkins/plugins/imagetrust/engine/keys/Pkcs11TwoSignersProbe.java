package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs in a forked JVM started by {@code Pkcs11SignerTest}: two signers on the same token in one process, as two
 * concurrent Jenkins builds would be. PKCS#11 login state is shared by the whole process, so this checks that a
 * second open still needs the right PIN, and that closing one signer does not log the other out.
 * Standard input: the first signer's PIN, then the second's. Arguments: {@code module slotId keyLabel}.
 */
public final class Pkcs11TwoSignersProbe {
    private Pkcs11TwoSignersProbe() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        char[] firstPin = in.readLine().toCharArray();
        char[] secondPin = in.readLine().toCharArray();
        Pkcs11Config config = Pkcs11Config.builder(Path.of(args[0])).slotId(Long.parseLong(args[1])).keyLabel(args[2]).build();
        byte[] message = "two signers".getBytes(StandardCharsets.UTF_8);
        Pkcs11Signer first = Pkcs11Signer.open(config, firstPin);
        System.out.println("FIRST OPENED");
        Pkcs11Signer second;
        try {
            second = Pkcs11Signer.open(config, secondPin);
            System.out.println("SECOND OPENED");
        } catch (KeyException e) {
            System.out.println("SECOND KEY_EXCEPTION " + e.getMessage());
            e.printStackTrace(System.out);
            report("FIRST STILL SIGNS", first, message);
            first.close();
            return;
        }
        first.close();
        report("SECOND SIGNS AFTER FIRST CLOSED", second, message);
        second.close();
        try {
            second.sign(message);
            System.out.println("SECOND SIGNED AFTER CLOSE");
        } catch (KeyException expected) {
            System.out.println("SECOND CLOSED");
        }
    }

    private static void report(String label, Pkcs11Signer signer, byte[] message) {
        try {
            boolean valid = SignatureVerifier.verify(signer.publicKey(), signer.scheme(), message, signer.sign(message));
            System.out.println(label + " " + valid);
        } catch (KeyException e) {
            System.out.println(label + " FAILED " + e.getMessage());
        }
    }
}
