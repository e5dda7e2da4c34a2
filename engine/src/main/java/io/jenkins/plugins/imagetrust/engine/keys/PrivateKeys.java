package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.openssl.PEMDecryptor;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;

/**
 * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY},
 * PBES2 with PBKDF2 or scrypt), SEC1 ({@code EC PRIVATE KEY}) and PKCS#1 ({@code RSA PRIVATE KEY}), both optionally
 * with legacy OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED}), and cosign's {@code ENCRYPTED SIGSTORE PRIVATE KEY}
 * / {@code ENCRYPTED COSIGN PRIVATE KEY}. Accepted algorithms: ECDSA P-256 and P-384, RSA of 2048 bits or more, Ed25519.
 * The public key is always derived from the private key. The passphrase is copied and cleared; the caller keeps
 * (and clears) its own array. Errors name the problem, never the passphrase or key bytes.
 */
public final class PrivateKeys {
    static final String BAD_PASSPHRASE = "bad passphrase or corrupted key";
    /** PBKDF2 iterations above this are a resource-exhaustion attempt, not a real key file (OpenSSL uses 2048). */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    /** scrypt memory is 128·N·r·p bytes; OpenSSL's default (N=16384, r=8) needs 16 MiB. Allow up to 256 MiB. */
    static final long MAX_SCRYPT_MEMORY = 256L * 1024 * 1024;
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String ENCRYPTED_PKCS8 = "ENCRYPTED PRIVATE KEY";
    private static final String SEC1 = "EC PRIVATE KEY";
    private static final String PKCS1 = "RSA PRIVATE KEY";
    private static final Set<String> ACCEPTED_TYPES = Set.of(PKCS8, ENCRYPTED_PKCS8, SEC1, PKCS1,
            CosignKeyFile.PemType.SIGSTORE.label(), CosignKeyFile.PemType.COSIGN.label());

    private PrivateKeys() {
    }

    /** A signer for the private key in {@code pem}, with the cosign default scheme for its type. */
    public static Signer loadSigner(byte[] pem, char[] passphrase) throws KeyException {
        return new InMemorySigner(load(pem, passphrase));
    }

    /**
     * The key pair in {@code pem}. {@code passphrase} is needed only for encrypted files (null otherwise is fine);
     * it is not modified.
     */
    public static KeyPair load(byte[] pem, char[] passphrase) throws KeyException {
        List<Pem.Block> blocks = Pem.parse(pem);
        try {
            Pem.Block block = privateKeyBlock(blocks);
            char[] copy = Secrets.copy(passphrase);
            try {
                return parse(block, copy);
            } finally {
                Secrets.clear(copy);
            }
        } finally {
            blocks.forEach(Pem.Block::clear);
        }
    }

    /**
     * Whether the private key in {@code pem} needs a passphrase (cosign files, encrypted PKCS#8, legacy
     * {@code Proc-Type: 4,ENCRYPTED}), so a caller knows whether to ask for one. Nothing is decrypted.
     */
    public static boolean needsPassphrase(byte[] pem) throws KeyException {
        List<Pem.Block> blocks = Pem.parse(pem);
        try {
            Pem.Block block = privateKeyBlock(blocks);
            return CosignKeyFile.isCosignPemType(block.type()) || ENCRYPTED_PKCS8.equals(block.type())
                    || block.headers().containsKey("Proc-Type");
        } finally {
            blocks.forEach(Pem.Block::clear);
        }
    }

    private static Pem.Block privateKeyBlock(List<Pem.Block> blocks) throws KeyException {
        for (Pem.Block block : blocks) {
            if (ACCEPTED_TYPES.contains(block.type())) {
                return block;
            }
        }
        String found = blocks.stream().map(b -> "'" + b.type() + "'").collect(Collectors.joining(", "));
        throw new KeyException("no private key found: PEM type " + found + " is not a private key type this tool reads"
                + " (accepted: PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY,"
                + " ENCRYPTED SIGSTORE PRIVATE KEY, ENCRYPTED COSIGN PRIVATE KEY)");
    }

    private static KeyPair parse(Pem.Block block, char[] passphrase) throws KeyException {
        if (CosignKeyFile.isCosignPemType(block.type())) {
            return CosignKeyFile.fromBlock(block).decrypt(passphrase);
        }
        switch (block.type()) {
            case PKCS8:
                return KeyMaterial.toKeyPair(structure(block.der(), PKCS8, false));
            case ENCRYPTED_PKCS8:
                return KeyMaterial.toKeyPair(decryptPkcs8(block.der(), passphrase));
            case SEC1:
            case PKCS1:
                return legacy(block, passphrase);
            default:
                throw new IllegalStateException("unreachable: " + block.type());
        }
    }

    /** SEC1 or PKCS#1, possibly encrypted the old OpenSSL way (RFC 1421 headers). */
    private static KeyPair legacy(Pem.Block block, char[] passphrase) throws KeyException {
        Map<String, String> headers = block.headers();
        String procType = headers.get("Proc-Type");
        if (procType == null) {
            return KeyMaterial.toKeyPair(structure(block.der(), block.type(), false));
        }
        if (!"4,ENCRYPTED".equals(procType.replace(" ", ""))) {
            throw new KeyException("PEM block '" + block.type() + "' has an unsupported Proc-Type header '" + procType + "'");
        }
        String dekInfo = headers.get("DEK-Info");
        int comma = dekInfo == null ? -1 : dekInfo.indexOf(',');
        if (comma <= 0) {
            throw new KeyException("PEM block '" + block.type() + "' is encrypted but its DEK-Info header is missing or malformed");
        }
        requirePassphrase(passphrase, block.type());
        String cipher = dekInfo.substring(0, comma).trim();
        byte[] iv;
        try {
            iv = Hex.decode(dekInfo.substring(comma + 1).trim());
        } catch (DecoderException e) {
            throw new KeyException("PEM block '" + block.type() + "' has a DEK-Info IV that is not hex");
        }
        byte[] der = null;
        try {
            PEMDecryptorProvider provider = new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(passphrase);
            PEMDecryptor decryptor = provider.get(cipher);
            der = decryptor.decrypt(block.der(), iv);
            return KeyMaterial.toKeyPair(structure(der, block.type(), true));
        } catch (OperatorCreationException e) {
            throw new KeyException("PEM block '" + block.type() + "' uses the unsupported cipher '" + cipher + "'");
        } catch (PEMException e) {
            throw new KeyException(BAD_PASSPHRASE); // bad padding after decryption: wrong passphrase or damage
        } finally {
            Secrets.clear(der);
        }
    }

    private static PrivateKeyInfo decryptPkcs8(byte[] der, char[] passphrase) throws KeyException {
        PKCS8EncryptedPrivateKeyInfo encrypted;
        try {
            encrypted = new PKCS8EncryptedPrivateKeyInfo(der);
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // BouncyCastle throws IllegalStateException for a tagged object of the wrong kind (explicit vs implicit)
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' is not a valid encrypted PKCS#8 structure");
        }
        checkEncryptionCost(encrypted.getEncryptionAlgorithm());
        requirePassphrase(passphrase, ENCRYPTED_PKCS8);
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(encrypted.getEncryptionAlgorithm().getParameters());
        if (MiscObjectIdentifiers.id_scrypt.equals(pbes2.getKeyDerivationFunc().getAlgorithm())) {
            return decryptScryptPbes2(encrypted.getEncryptedData(), pbes2, passphrase);
        }
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BouncyCastle.provider()).build(passphrase);
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (OperatorCreationException e) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' uses an unsupported cipher or KDF");
        } catch (PKCSException | IllegalArgumentException e) {
            throw new KeyException(BAD_PASSPHRASE);
        }
    }

    /**
     * PBES2 with scrypt (RFC 7914 §7, what {@code openssl pkcs8 -topk8 -scrypt} writes) and AES-CBC, done here rather
     * than by BouncyCastle's PKCS#8 decryptor: the one Jenkins ships (bouncycastle-api, BC 1.84) fails on OpenSSL's
     * scrypt keys, and a key that opens on the command line must open in Jenkins too. The cost parameters were
     * checked already ({@link #checkEncryptionCost}).
     */
    private static PrivateKeyInfo decryptScryptPbes2(byte[] ciphertext, PBES2Parameters pbes2, char[] passphrase) throws KeyException {
        ScryptParams scrypt = ScryptParams.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        ASN1ObjectIdentifier cipherId = pbes2.getEncryptionScheme().getAlgorithm();
        Integer keyBytes = AES_CBC_KEY_BYTES.get(cipherId);
        if (keyBytes == null) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' uses cipher " + cipherId.getId()
                    + " with scrypt; only AES-CBC is accepted");
        }
        if (scrypt.getKeyLength() != null && scrypt.getKeyLength().intValue() != keyBytes) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' asks scrypt for a " + scrypt.getKeyLength()
                    + "-byte key for a " + keyBytes + "-byte cipher key");
        }
        byte[] iv;
        try {
            iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' has no valid AES-CBC IV");
        }
        if (iv.length != 16) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' has an AES-CBC IV of " + iv.length + " bytes, not 16");
        }
        byte[] password = Secrets.utf8(passphrase);
        byte[] key = null;
        byte[] der = null;
        try {
            key = SCrypt.generate(password, scrypt.getSalt(), scrypt.getCostParameter().intValueExact(),
                    scrypt.getBlockSize().intValueExact(), scrypt.getParallelizationParameter().intValueExact(), keyBytes);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            der = aes.doFinal(ciphertext);
            return structure(der, PKCS8, true);
        } catch (GeneralSecurityException e) {
            throw new KeyException(BAD_PASSPHRASE); // bad padding after decryption: wrong passphrase or damage
        } finally {
            Secrets.clear(password);
            Secrets.clear(key);
            Secrets.clear(der);
        }
    }

    private static final Map<ASN1ObjectIdentifier, Integer> AES_CBC_KEY_BYTES = Map.of(
            NISTObjectIdentifiers.id_aes128_CBC, 16, NISTObjectIdentifiers.id_aes192_CBC, 24, NISTObjectIdentifiers.id_aes256_CBC, 32);

    /** Only PBES2, with bounded PBKDF2 iterations or scrypt memory: checked before any key derivation runs. */
    private static void checkEncryptionCost(AlgorithmIdentifier algorithm) throws KeyException {
        if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' uses encryption scheme " + algorithm.getAlgorithm().getId()
                    + "; only PBES2 is accepted (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
        }
        try {
            PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
            KeyDerivationFunc kdf = pbes2.getKeyDerivationFunc();
            EncryptionScheme scheme = pbes2.getEncryptionScheme();
            if (scheme == null) {
                throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' names no cipher");
            }
            ASN1ObjectIdentifier kdfId = kdf.getAlgorithm();
            if (PKCSObjectIdentifiers.id_PBKDF2.equals(kdfId)) {
                long iterations = PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount().longValue();
                if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
                    throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY': " + iterations + " PBKDF2 iterations are outside 1.."
                            + MAX_PBKDF2_ITERATIONS);
                }
            } else if (MiscObjectIdentifiers.id_scrypt.equals(kdfId)) {
                ScryptParams scrypt = ScryptParams.getInstance(kdf.getParameters());
                long n = scrypt.getCostParameter().longValue();
                long r = scrypt.getBlockSize().longValue();
                long p = scrypt.getParallelizationParameter().longValue();
                if (n < 2 || r < 1 || p < 1 || n > (1 << 24) || r > 64 || p > 64 || 128L * n * r * p > MAX_SCRYPT_MEMORY) {
                    throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY': scrypt parameters N=" + n + " r=" + r + " p=" + p
                            + " need more than the " + (MAX_SCRYPT_MEMORY >> 20) + " MiB accepted");
                }
            } else {
                throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' uses key derivation " + kdfId.getId()
                        + "; only PBKDF2 and scrypt are accepted");
            }
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | NullPointerException e) {
            throw new KeyException("PEM block 'ENCRYPTED PRIVATE KEY' has malformed PBES2 parameters");
        }
    }

    /**
     * The PKCS#8 structure for DER of {@code type}. After a decryption, a structure that does not parse means the
     * passphrase was wrong (CBC padding is right by chance about once in 256 tries), so the error says so.
     */
    private static PrivateKeyInfo structure(byte[] der, String type, boolean decrypted) throws KeyException {
        try {
            switch (type) {
                case PKCS8:
                    return PrivateKeyInfo.getInstance(der);
                case SEC1: {
                    ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
                    ASN1Encodable curve = sec1.getParametersObject();
                    if (curve == null) {
                        throw new KeyException("the SEC1 EC private key names no curve");
                    }
                    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
                }
                case PKCS1:
                    return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                            RSAPrivateKey.getInstance(der));
                default:
                    throw new AssertionError("unreachable: " + type);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // IllegalStateException: BouncyCastle's answer to a tagged field of the wrong kind (found by KeyParserFuzzTest)
            if (decrypted) {
                throw new KeyException(BAD_PASSPHRASE);
            }
            throw new KeyException("PEM block '" + type + "' does not hold a valid " + describeType(type) + " structure (truncated or damaged)");
        }
    }

    private static String describeType(String type) {
        switch (type) {
            case SEC1:
                return "SEC1 EC private key";
            case PKCS1:
                return "PKCS#1 RSA private key";
            default:
                return "PKCS#8 private key";
        }
    }

    private static void requirePassphrase(char[] passphrase, String type) throws KeyException {
        if (passphrase == null) {
            throw new KeyException("the '" + type + "' key is encrypted: a passphrase is required");
        }
    }
}
