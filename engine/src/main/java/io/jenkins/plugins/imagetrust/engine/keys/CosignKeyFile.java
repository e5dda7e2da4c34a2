package io.jenkins.plugins.imagetrust.engine.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;

/**
 * A cosign/sigstore encrypted private key file: PEM of base64 JSON holding scrypt parameters, a salt, a NaCl
 * secretbox nonce and the sealed PKCS#8 DER (wire-formats.md §4). Reading happens in two steps:
 * {@link #parse} checks the envelope (the scrypt parameters above all) without any expensive work, and
 * {@link #decrypt} runs scrypt. Only N=32768, r=8, p=1 is accepted, as cosign, skopeo and sigstore-rs do, so a
 * crafted file cannot make us spend gigabytes of memory.
 */
public final class CosignKeyFile {
    /** The scrypt cost parameters cosign writes, and the only ones accepted. */
    public static final int SCRYPT_N = 32768;
    public static final int SCRYPT_R = 8;
    public static final int SCRYPT_P = 1;
    static final int SALT_BYTES = 32;
    static final int NONCE_BYTES = 24;
    private static final int KEY_BYTES = 32;
    private static final int TAG_BYTES = 16;
    private static final String KDF_NAME = "scrypt";
    private static final String CIPHER_NAME = "nacl/secretbox";
    private static final String BAD_PASSPHRASE = "bad passphrase or corrupted key";
    private static final ObjectMapper JSON = JsonMappers.noDuplicateKeys();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The PEM type of a cosign key file. */
    public enum PemType {
        /** Written by cosign 2 and later; the default. skopeo 1.9 cannot read it. */
        SIGSTORE("ENCRYPTED SIGSTORE PRIVATE KEY"),
        /** Written by cosign 1 and {@code skopeo generate-sigstore-key}; read by every cosign and skopeo. */
        COSIGN("ENCRYPTED COSIGN PRIVATE KEY");

        private final String label;

        PemType(String label) {
            this.label = label;
        }

        /** The text between {@code -----BEGIN } and {@code -----}. */
        public String label() {
            return label;
        }

        static PemType ofLabel(String label) {
            for (PemType type : values()) {
                if (type.label.equals(label)) {
                    return type;
                }
            }
            return null;
        }
    }

    private final PemType pemType;
    private final byte[] salt;
    private final byte[] nonce;
    private final byte[] sealed;

    private CosignKeyFile(PemType pemType, byte[] salt, byte[] nonce, byte[] sealed) {
        this.pemType = pemType;
        this.salt = salt;
        this.nonce = nonce;
        this.sealed = sealed;
    }

    /** Whether {@code pemLabel} is one of the cosign encrypted-key PEM types. */
    public static boolean isCosignPemType(String pemLabel) {
        return PemType.ofLabel(pemLabel) != null;
    }

    /**
     * Reads and checks the envelope of a cosign key file (no scrypt yet). Fails on another PEM type, malformed JSON,
     * another KDF or cipher, scrypt parameters other than N=32768 r=8 p=1, or wrong salt/nonce sizes.
     */
    public static CosignKeyFile parse(byte[] pem) throws KeyException {
        List<Pem.Block> blocks = Pem.parse(pem);
        for (Pem.Block block : blocks) {
            if (isCosignPemType(block.type())) {
                return fromBlock(block);
            }
        }
        throw new KeyException("not a cosign key file: no 'ENCRYPTED SIGSTORE PRIVATE KEY' or 'ENCRYPTED COSIGN PRIVATE KEY' PEM block");
    }

    static CosignKeyFile fromBlock(Pem.Block block) throws KeyException {
        PemType type = PemType.ofLabel(block.type());
        JsonNode envelope;
        try {
            envelope = JSON.readTree(block.der());
        } catch (IOException e) {
            throw new KeyException("cosign key file '" + block.type() + "': the body is not valid JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new KeyException("cosign key file '" + block.type() + "': the body is not a JSON object");
        }
        JsonNode kdf = envelope.path("kdf");
        if (!KDF_NAME.equals(kdf.path("name").asText(null))) {
            throw new KeyException("cosign key file: unsupported KDF " + quoted(kdf.path("name")) + ", expected \"scrypt\"");
        }
        JsonNode params = kdf.path("params");
        if (!exactly(params.path("N"), SCRYPT_N) || !exactly(params.path("r"), SCRYPT_R) || !exactly(params.path("p"), SCRYPT_P)) {
            // a resource-exhaustion guard: checked before scrypt ever runs
            throw new KeyException("cosign key file: scrypt parameters N=" + params.path("N") + " r=" + params.path("r")
                    + " p=" + params.path("p") + " are not accepted; only N=" + SCRYPT_N + " r=" + SCRYPT_R + " p=" + SCRYPT_P);
        }
        JsonNode cipher = envelope.path("cipher");
        if (!CIPHER_NAME.equals(cipher.path("name").asText(null))) {
            throw new KeyException("cosign key file: unsupported cipher " + quoted(cipher.path("name")) + ", expected \"nacl/secretbox\"");
        }
        byte[] salt = base64Field(kdf.path("salt"), "kdf.salt");
        byte[] nonce = base64Field(cipher.path("nonce"), "cipher.nonce");
        byte[] sealed = base64Field(envelope.path("ciphertext"), "ciphertext");
        if (salt.length != SALT_BYTES) {
            throw new KeyException("cosign key file: the salt is " + salt.length + " bytes, expected " + SALT_BYTES);
        }
        if (nonce.length != NONCE_BYTES) {
            throw new KeyException("cosign key file: the nonce is " + nonce.length + " bytes, expected " + NONCE_BYTES);
        }
        if (sealed.length <= TAG_BYTES) {
            throw new KeyException("cosign key file: the ciphertext is too short (" + sealed.length + " bytes)");
        }
        return new CosignKeyFile(type, salt, nonce, sealed);
    }

    public PemType pemType() {
        return pemType;
    }

    /** Length of the sealed box (Poly1305 tag plus encrypted PKCS#8). */
    public int ciphertextLength() {
        return sealed.length;
    }

    /** Decrypts the key. An empty passphrase is allowed (cosign allows it); a wrong one fails the Poly1305 check. */
    public KeyPair decrypt(char[] passphrase) throws KeyException {
        byte[] der = decryptToPkcs8(passphrase);
        try {
            return KeyMaterial.toKeyPair(PrivateKeyInfo.getInstance(der));
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new KeyException("cosign key file: the decrypted key is not PKCS#8 DER");
        } finally {
            Secrets.clear(der);
        }
    }

    /** The decrypted PKCS#8 DER; the caller clears it. */
    byte[] decryptToPkcs8(char[] passphrase) throws KeyException {
        if (passphrase == null) {
            throw new KeyException("the cosign key is encrypted: a passphrase is required (it may be empty)");
        }
        byte[] key = deriveKey(passphrase, salt);
        try {
            byte[] plaintext = SecretBox.open(key, nonce, sealed);
            if (plaintext == null) {
                throw new KeyException(BAD_PASSPHRASE);
            }
            return plaintext;
        } finally {
            Secrets.clear(key);
        }
    }

    /** Encrypts {@code privateKey} as an {@code ENCRYPTED SIGSTORE PRIVATE KEY} (what cosign 2 and later write). */
    public static byte[] encrypt(PrivateKey privateKey, char[] passphrase) throws KeyException {
        return encrypt(privateKey, passphrase, PemType.SIGSTORE);
    }

    /**
     * Encrypts {@code privateKey} as a cosign key file of {@code type}: scrypt N=32768 r=8 p=1 with a fresh random
     * 32-byte salt, secretbox with a fresh 24-byte nonce, the same JSON layout cosign writes. Returns PEM bytes.
     */
    public static byte[] encrypt(PrivateKey privateKey, char[] passphrase, PemType type) throws KeyException {
        if (passphrase == null) {
            throw new KeyException("a passphrase is required to encrypt a cosign key (it may be empty)");
        }
        if (type == null) {
            throw new KeyException("a PEM type is required");
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] der = KeyMaterial.pkcs8(privateKey);
        byte[] key = null;
        byte[] body = null;
        try {
            key = deriveKey(passphrase, salt);
            byte[] sealed = SecretBox.seal(key, nonce, der);
            ObjectNode envelope = JSON.createObjectNode();
            ObjectNode kdf = envelope.putObject("kdf");
            kdf.put("name", KDF_NAME);
            kdf.putObject("params").put("N", SCRYPT_N).put("r", SCRYPT_R).put("p", SCRYPT_P);
            kdf.put("salt", Base64.getEncoder().encodeToString(salt));
            envelope.putObject("cipher").put("name", CIPHER_NAME).put("nonce", Base64.getEncoder().encodeToString(nonce));
            envelope.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
            body = JSON.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
            return Pem.encode(type.label(), body);
        } catch (IOException e) {
            throw new KeyException("could not write the cosign key envelope", e);
        } finally {
            Secrets.clear(der);
            Secrets.clear(key);
        }
    }

    private static byte[] deriveKey(char[] passphrase, byte[] salt) throws KeyException {
        byte[] password = Secrets.utf8(passphrase);
        try {
            return SCrypt.generate(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES);
        } finally {
            Secrets.clear(password);
        }
    }

    private static boolean exactly(JsonNode node, int expected) {
        return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() == expected;
    }

    private static byte[] base64Field(JsonNode node, String name) throws KeyException {
        if (!node.isTextual()) {
            throw new KeyException("cosign key file: field '" + name + "' is missing or not a string");
        }
        try {
            return Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new KeyException("cosign key file: field '" + name + "' is not valid base64");
        }
    }

    private static String quoted(JsonNode node) {
        String text = node.isMissingNode() ? "(missing)" : node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** NaCl {@code crypto_secretbox} (XSalsa20-Poly1305) as Go's {@code secretbox.Seal/Open}: tag ‖ ciphertext. */
    static final class SecretBox {
        private SecretBox() {
        }

        static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
            XSalsa20Engine stream = stream(key, nonce);
            byte[] macKey = macKey(stream);
            byte[] out = new byte[TAG_BYTES + plaintext.length];
            stream.processBytes(plaintext, 0, plaintext.length, out, TAG_BYTES);
            byte[] tag = tag(macKey, out, TAG_BYTES, plaintext.length);
            System.arraycopy(tag, 0, out, 0, TAG_BYTES);
            Secrets.clear(macKey);
            return out;
        }

        /** The plaintext, or null when the tag does not match (wrong key or damaged box). */
        static byte[] open(byte[] key, byte[] nonce, byte[] box) {
            XSalsa20Engine stream = stream(key, nonce);
            byte[] macKey = macKey(stream);
            try {
                byte[] expected = tag(macKey, box, TAG_BYTES, box.length - TAG_BYTES);
                if (!Arrays.constantTimeAreEqual(TAG_BYTES, expected, 0, box, 0)) {
                    return null;
                }
                byte[] plaintext = new byte[box.length - TAG_BYTES];
                stream.processBytes(box, TAG_BYTES, plaintext.length, plaintext, 0);
                return plaintext;
            } finally {
                Secrets.clear(macKey);
            }
        }

        private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
            XSalsa20Engine engine = new XSalsa20Engine();
            engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            return engine;
        }

        /** The first 32 keystream bytes are the one-time Poly1305 key; encryption continues from byte 32. */
        private static byte[] macKey(XSalsa20Engine stream) {
            byte[] macKey = new byte[32];
            stream.processBytes(new byte[32], 0, 32, macKey, 0);
            return macKey;
        }

        private static byte[] tag(byte[] macKey, byte[] data, int offset, int length) {
            Poly1305 mac = new Poly1305();
            mac.init(new KeyParameter(macKey));
            mac.update(data, offset, length);
            byte[] tag = new byte[TAG_BYTES];
            mac.doFinal(tag, 0);
            return tag;
        }
    }
}
