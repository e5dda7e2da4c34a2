package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Runs in a forked JVM started by {@code Pkcs11SignerTest} (SoftHSM needs {@code SOFTHSM2_CONF} in the process
 * environment): opens a {@link Pkcs11Signer}, signs a message, writes the public key and the signature. The PIN comes
 * on standard input. Prints {@code OPENED <alias> <description> <scheme>} and {@code SIGNATURE <hex>}, or
 * {@code KEY_EXCEPTION <message>} and the stack trace (exit 3).
 *
 * <p>Arguments: {@code module slotId keyLabel|- keyId|- scheme|- messageFile publicKeyOut}.
 */
public final class Pkcs11SignProbe {
    private Pkcs11SignProbe() {
    }

    public static void main(String[] args) throws Exception {
        char[] pin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().toCharArray();
        Pkcs11Config.Builder builder = Pkcs11Config.builder(Path.of(args[0])).slotId(Long.parseLong(args[1]));
        if (!"-".equals(args[2])) {
            builder.keyLabel(args[2]);
        }
        if (!"-".equals(args[3])) {
            builder.keyId(args[3]);
        }
        SignatureScheme scheme = "-".equals(args[4]) ? null : SignatureScheme.valueOf(args[4]);
        byte[] message = Files.readAllBytes(Path.of(args[5]));
        try {
            Pkcs11Signer signer = Pkcs11Signer.open(builder.build(), pin, scheme);
            System.out.println("OPENED " + signer.alias() + " " + PublicKeys.describe(signer.publicKey()).replace(' ', '_') + " " + signer.scheme());
            Files.writeString(Path.of(args[6]), PublicKeys.toPem(signer.publicKey()));
            System.out.println("SIGNATURE " + HexFormat.of().formatHex(signer.sign(message)));
            signer.close(); // logs out: signing must fail from now on
            try {
                signer.sign(message);
                System.out.println("SIGNED AFTER CLOSE");
            } catch (KeyException expected) {
                System.out.println("CLOSED " + expected.getMessage());
            }
        } catch (KeyException e) {
            System.out.println("KEY_EXCEPTION " + e.getMessage());
            e.printStackTrace(System.out);
            System.exit(3);
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }
}
